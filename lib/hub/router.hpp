// renkei::hub router — the route table: method + path pattern → handler. The server registers the
// API, the web UI's files (and later /taxii2/) into one; the API keeps one of its own for its
// endpoints.
//
// Patterns are paths of literal segments and {name} parameters ("/api/v1/submissions/{id}/raw");
// a last segment "**" matches the rest of the path, any number of segments (also none). Empty
// segments in a path ("//") are ignored. Routes are tried in the order they were added; the first
// whose method and pattern match wins. Thread-safe once built (routing only reads).
#pragma once

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace renkei::hub {

// The values of a matched route's {name} segments (views into the request's path).
class PathParams {
 public:
  // The value of {name}, or "" when the pattern has no such parameter.
  std::string_view operator[](std::string_view name) const;
  void add(std::string_view name, std::string_view value) { values_.emplace_back(name, value); }

 private:
  std::vector<std::pair<std::string_view, std::string_view>> values_;
};

template <typename Handler>
class Router {
 public:
  struct Match {
    const Handler* handler = nullptr;  // null when no route matches method and path
    PathParams params;
    bool path_known = false;  // a route matches the path with another method
  };

  // `method` "*" matches every method; "GET" routes also answer HEAD.
  void add(std::string method, std::string_view pattern, Handler handler) {
    std::vector<std::string> segments;
    for (const std::string_view s : split(pattern)) segments.emplace_back(s);
    routes_.push_back({std::move(method), std::move(segments), std::move(handler)});
  }

  // `path` must stay alive while the Match is used (its params point into it).
  Match match(std::string_view method, std::string_view path) const {
    Match m;
    const auto parts = split(path);
    for (const auto& r : routes_) {
      PathParams params;
      if (!matches(r.pattern, parts, params)) continue;
      if (r.method == "*" || r.method == method || (r.method == "GET" && method == "HEAD")) {
        m.handler = &r.handler;
        m.params = std::move(params);
        return m;
      }
      m.path_known = true;
    }
    return m;
  }

 private:
  struct Route {
    std::string method;
    std::vector<std::string> pattern;
    Handler handler;
  };

  static std::vector<std::string_view> split(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t b = 0;
    while (b < path.size()) {
      while (b < path.size() && path[b] == '/') ++b;
      const std::size_t e = std::min(path.find('/', b), path.size());
      if (e > b) out.push_back(path.substr(b, e - b));
      b = e;
    }
    return out;
  }

  static bool matches(const std::vector<std::string>& pattern,
                      const std::vector<std::string_view>& parts, PathParams& params) {
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      const std::string_view p = pattern[i];  // a view of the route's own string
      if (p == "**") return true;
      if (i >= parts.size()) return false;
      if (p.size() > 2 && p.front() == '{' && p.back() == '}')
        params.add(p.substr(1, p.size() - 2), parts[i]);
      else if (p != parts[i])
        return false;
    }
    return parts.size() == pattern.size();
  }

  std::vector<Route> routes_;
};

inline std::string_view PathParams::operator[](std::string_view name) const {
  for (const auto& [k, v] : values_)
    if (k == name) return v;
  return {};
}

}  // namespace renkei::hub
