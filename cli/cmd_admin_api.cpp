// renkei admin orgs | users | tokens | sigs | liaison | categories — hub administration as a
// client of the hub's REST API (lib/client), with the server and token taken as `renkei submit`
// takes them: --server / --token, else $RENKEI_SERVER / $RENKEI_TOKEN, else http://127.0.0.1:8080.
//
// Text tables by default; --format json prints the API's JSON as it came. Errors print the hub's
// message and hint. Exit status: 0 done, 1 the hub refused (403, 404, 409, 413, 429), 2 usage (bad
// flags, or the hub found the request malformed: 400), 3 setup (no token, hub unreachable, token
// refused: 401, or the hub failed: 5xx).
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "client/client.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"

namespace renkei::cli {
namespace {

using nlohmann::json;

struct ApiOptions {
  std::string server, token, format = "text";
  std::string id;  // the object of show / update / revoke / add-member
  // organisations, SIGs, liaison networks, categories
  std::string name, name_ja, industry, from_json, key;
  std::vector<std::string> domains, partner_domains;
  // users
  std::string login, role, display_name;
  std::int64_t org = 0;
  bool password_stdin = false, disable = false, enable = false;
  // tokens
  std::vector<std::string> scopes;
  std::int64_t user = 0;
  // memberships, liaison networks
  std::string joined, left;
  std::int64_t members = 0;
  // Which options were given: a flag name is registered on several commands, and only the chosen
  // command's option has a count (CLI11 options live as long as the app).
  std::multimap<std::string, CLI::Option*> given;

  bool has(const std::string& flag) const {
    const auto [b, e] = given.equal_range(flag);
    return std::any_of(b, e, [](const auto& kv) { return kv.second->count() > 0; });
  }
};

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

// Columns as a terminal shows them: East Asian wide characters take two.
std::size_t display_width(std::string_view s) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    std::uint32_t cp = n == 1 ? c : c & (0x3Fu >> (n - 1));
    for (std::size_t k = 1; k < n && i + k < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    w += wide ? 2 : 1;
    i += n;
  }
  return w;
}

void print_table(const std::vector<std::string>& head,
                 const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width(head.size());
  for (std::size_t c = 0; c < head.size(); ++c) width[c] = display_width(head[c]);
  for (const auto& r : rows)
    for (std::size_t c = 0; c < r.size() && c < width.size(); ++c)
      width[c] = std::max(width[c], display_width(r[c]));
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      out += cells[c];
      if (c + 1 < cells.size()) out += std::string(width[c] - display_width(cells[c]) + 2, ' ');
    }
    std::cout << out << "\n";
  };
  line(head);
  for (const auto& r : rows) line(r);
}

// A JSON value as a table cell.
std::string cell(const json& v) {
  if (v.is_null()) return "-";
  if (v.is_string()) return v.get<std::string>().empty() ? "-" : v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_array()) {
    std::string out;
    for (const auto& x : v)
      out += (out.empty() ? "" : ",") + (x.is_string() ? x.get<std::string>() : x.dump());
    return out.empty() ? "-" : out;
  }
  return v.dump();
}

std::string field(const json& j, const char* key) {
  return j.contains(key) ? cell(j[key]) : "-";
}

// One API call of one command: prints the hub's error and keeps the exit status on failure.
class Session {
 public:
  Session(const ApiOptions& opt, std::string command)
      : opt_(opt), command_(std::move(command)), client_(server(opt), token(opt)) {}

  static std::string server(const ApiOptions& o) {
    return o.server.empty() ? env_or("RENKEI_SERVER", "http://127.0.0.1:8080") : o.server;
  }
  static std::string token(const ApiOptions& o) {
    return o.token.empty() ? env_or("RENKEI_TOKEN", "") : o.token;
  }

  // The reply's JSON for a 2xx answer; nullopt (with the error printed) otherwise.
  std::optional<json> call(const char* method, const std::string& path,
                           const std::optional<json>& body = std::nullopt) {
    const std::string b = body ? body->dump() : std::string();
    const std::string m = method;
    auto reply = m == "GET"     ? client_.get(path)
                 : m == "POST"  ? client_.post(path, "application/json", b)
                 : m == "PUT"   ? client_.put(path, "application/json", b)
                 : m == "PATCH" ? client_.patch(path, "application/json", b)
                                : client_.del(path);
    if (!reply) return failed(reply.error());
    if (reply->status < 200 || reply->status > 299) {
      const Error e = client::error_of(*reply);
      exit_ = exit_code_for_hub_status(reply->status);
      std::cerr << "renkei admin " << command_ << ": " << e.to_string() << "\n";
      return std::nullopt;
    }
    last_body_ = reply->body;
    auto j = json::parse(reply->body, nullptr, false);
    if (j.is_discarded())
      return failed(
          Error{Errc::kInternal, "the hub's reply is not JSON: " + reply->body.substr(0, 200), ""});
    return j;
  }

  // Prints the reply as JSON (--format json) and says whether that was done.
  bool printed_json() const {
    if (opt_.format != "json") return false;
    std::cout << last_body_ << "\n";
    return true;
  }

  std::nullopt_t failed(const Error& e) {
    std::cerr << "renkei admin " << command_ << ": " << e.to_string() << "\n";
    exit_ = exit_code_for(e.code);
    return std::nullopt;
  }

  int exit_code() const { return exit_; }

 private:
  const ApiOptions& opt_;
  std::string command_;
  client::Client client_;
  std::string last_body_;
  int exit_ = kExitOk;
};

// Runs `body` with a session, after checking that there is a token.
int with_session(const ApiOptions& opt, const std::string& command,
                 const std::function<void(Session&)>& body) {
  if (Session::token(opt).empty()) {
    std::cerr << "renkei admin " << command << ": no API token: give --token or set RENKEI_TOKEN "
              << "(renkei admin bootstrap prints the first one)\n";
    return kExitUsage;
  }
  Session s(opt, command);
  body(s);
  return s.exit_code();
}

std::optional<std::int64_t> id_arg(const ApiOptions& opt, const std::string& command) {
  try {
    std::size_t used = 0;
    const long long v = std::stoll(opt.id, &used);
    if (used == opt.id.size() && v > 0) return v;
  } catch (const std::exception&) {  // std::stoll's way of saying "not a number": handled here
  }
  std::cerr << "renkei admin " << command << ": \"" << opt.id
            << "\" is not an id (a positive number; the list commands show them)\n";
  return std::nullopt;
}

// ---- Organisations ----

void print_org(const json& o, const std::optional<json>& memberships) {
  std::cout << "organisation " << field(o, "id") << (o.value("is_hub", false) ? " (the hub)" : "")
            << "\n"
            << "  name            " << field(o, "name") << "\n"
            << "  name_ja         " << field(o, "name_ja") << "\n"
            << "  industry        " << field(o, "industry") << "\n"
            << "  domains         " << field(o, "domains") << "\n"
            << "  partner domains " << field(o, "partner_domains") << "\n";
  if (o.contains("vips"))
    for (const auto& v : o["vips"])
      std::cout << "  VIP             " << field(v, "name") << " / " << field(v, "name_ja") << " ("
                << field(v, "title") << ") " << field(v, "addresses") << "\n";
  if (memberships && memberships->contains("items"))
    for (const auto& m : (*memberships)["items"])
      std::cout << "  SIG " << field(m, "sig_id") << "           joined " << field(m, "joined_on")
                << (m["left_on"].is_null() ? "" : ", left " + field(m, "left_on")) << "\n";
}

// The organisation body: --from-json first (a file or - for standard input), then the flags given.
std::optional<json> org_body(const ApiOptions& opt, json base, const std::string& command) {
  if (!opt.from_json.empty()) {
    std::string text;
    if (opt.from_json == "-") {
      text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
      std::ifstream in(opt.from_json, std::ios::binary);
      if (!in) {
        std::cerr << "renkei admin " << command << ": cannot read " << opt.from_json << "\n";
        return std::nullopt;
      }
      text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      std::cerr << "renkei admin " << command << ": " << opt.from_json
                << " is not a JSON object (see the Organization schema in "
                << "/api/v1/openapi.json)\n";
      return std::nullopt;
    }
    for (auto& [k, v] : j.items()) base[k] = v;
  }
  if (opt.has("--name")) base["name"] = opt.name;
  if (opt.has("--name-ja")) base["name_ja"] = opt.name_ja;
  if (opt.has("--industry")) base["industry"] = opt.industry;
  if (opt.has("--domain")) base["domains"] = opt.domains;
  if (opt.has("--partner-domain")) base["partner_domains"] = opt.partner_domains;
  for (const char* k : {"id", "is_hub"}) base.erase(k);
  return base;
}

int orgs_list(const ApiOptions& opt) {
  return with_session(opt, "orgs list", [&](Session& s) {
    auto j = s.call("GET", "/organizations");
    if (!j || s.printed_json()) return;
    std::vector<std::vector<std::string>> rows;
    for (const auto& o : (*j)["items"])
      rows.push_back({field(o, "id"), field(o, "name"), field(o, "name_ja"), field(o, "industry"),
                      o.value("is_hub", false) ? "hub" : "member", field(o, "domains")});
    print_table({"ID", "NAME", "NAME_JA", "INDUSTRY", "KIND", "DOMAINS"}, rows);
  });
}

int orgs_show(const ApiOptions& opt) {
  const auto id = id_arg(opt, "orgs show");
  if (!id) return kExitUsage;
  return with_session(opt, "orgs show", [&](Session& s) {
    auto o = s.call("GET", "/organizations/" + std::to_string(*id));
    if (!o || s.printed_json()) return;
    print_org(*o, s.call("GET", "/organizations/" + std::to_string(*id) + "/memberships"));
  });
}

int orgs_create(const ApiOptions& opt) {
  auto body = org_body(opt, json::object(), "orgs create");
  if (!body) return kExitUsage;
  return with_session(opt, "orgs create", [&](Session& s) {
    auto o = s.call("POST", "/organizations", *body);
    if (!o || s.printed_json()) return;
    std::cout << "created organisation " << field(*o, "id") << " " << field(*o, "name") << "\n";
  });
}

int orgs_update(const ApiOptions& opt) {
  const auto id = id_arg(opt, "orgs update");
  if (!id) return kExitUsage;
  return with_session(opt, "orgs update", [&](Session& s) {
    // PUT replaces the whole organisation: what no flag names stays as the hub has it.
    auto current = s.call("GET", "/organizations/" + std::to_string(*id));
    if (!current) return;
    auto body = org_body(opt, *current, "orgs update");
    if (!body) {
      (void)s.failed(Error{Errc::kInvalidArgument, "the organisation was not changed", ""});
      return;
    }
    auto o = s.call("PUT", "/organizations/" + std::to_string(*id), *body);
    if (!o || s.printed_json()) return;
    std::cout << "updated organisation " << field(*o, "id") << "\n";
    print_org(*o, std::nullopt);
  });
}

// ---- Users ----

// The first line of standard input (a password is never a flag: flags end up in shell histories).
std::optional<std::string> password_from_stdin(const std::string& command) {
  std::string line;
  if (!std::getline(std::cin, line) || line.empty()) {
    std::cerr << "renkei admin " << command
              << ": --password-stdin: no password on standard input\n";
    return std::nullopt;
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int users_list(const ApiOptions& opt) {
  return with_session(opt, "users list", [&](Session& s) {
    auto j = s.call("GET", "/users");
    if (!j || s.printed_json()) return;
    std::vector<std::vector<std::string>> rows;
    for (const auto& u : (*j)["items"])
      rows.push_back(
          {field(u, "id"), field(u, "login"), field(u, "role"), field(u, "organization_id"),
           u.value("disabled", false) ? "disabled" : "active", field(u, "display_name")});
    print_table({"ID", "LOGIN", "ROLE", "ORG", "STATE", "DISPLAY_NAME"}, rows);
  });
}

int users_create(const ApiOptions& opt) {
  json body = {{"login", opt.login}, {"role", opt.role}};
  if (opt.has("--display-name")) body["display_name"] = opt.display_name;
  if (opt.has("--org")) body["organization_id"] = opt.org;
  if (opt.password_stdin) {
    auto pw = password_from_stdin("users create");
    if (!pw) return kExitUsage;
    body["password"] = *pw;
  }
  return with_session(opt, "users create", [&](Session& s) {
    auto u = s.call("POST", "/users", body);
    if (!u || s.printed_json()) return;
    std::cout << "created user " << field(*u, "id") << " " << field(*u, "login") << " ("
              << field(*u, "role") << ")\n";
  });
}

int users_update(const ApiOptions& opt) {
  const auto id = id_arg(opt, "users update");
  if (!id) return kExitUsage;
  json body = json::object();
  if (opt.disable && opt.enable) {
    std::cerr << "renkei admin users update: --disable and --enable together\n";
    return kExitUsage;
  }
  if (opt.disable) body["disabled"] = true;
  if (opt.enable) body["disabled"] = false;
  if (opt.has("--role")) body["role"] = opt.role;
  if (opt.has("--display-name")) body["display_name"] = opt.display_name;
  if (opt.password_stdin) {
    auto pw = password_from_stdin("users update");
    if (!pw) return kExitUsage;
    body["password"] = *pw;
  }
  if (body.empty()) {
    std::cerr << "renkei admin users update: nothing to change (give --disable, --enable, --role, "
                 "--display-name or --password-stdin)\n";
    return kExitUsage;
  }
  return with_session(opt, "users update", [&](Session& s) {
    auto u = s.call("PATCH", "/users/" + std::to_string(*id), body);
    if (!u || s.printed_json()) return;
    std::cout << "updated user " << field(*u, "id") << " " << field(*u, "login") << ": "
              << field(*u, "role") << ", " << (u->value("disabled", false) ? "disabled" : "active")
              << (opt.password_stdin ? ", password set" : "") << "\n";
  });
}

// ---- Tokens ----

int tokens_list(const ApiOptions& opt) {
  return with_session(opt, "tokens list", [&](Session& s) {
    auto j = s.call("GET", opt.has("--user") ? "/tokens?user_id=" + std::to_string(opt.user)
                                             : std::string("/tokens"));
    if (!j || s.printed_json()) return;
    std::vector<std::vector<std::string>> rows;
    for (const auto& t : (*j)["items"])
      rows.push_back({field(t, "id"), field(t, "user_id"), field(t, "name"),
                      t["scopes"].empty() ? "(role)" : field(t, "scopes"), field(t, "created_at"),
                      t["revoked_at"].is_null() ? "active" : "revoked " + field(t, "revoked_at")});
    print_table({"ID", "USER", "NAME", "SCOPES", "CREATED", "STATE"}, rows);
  });
}

int tokens_create(const ApiOptions& opt) {
  json body = {{"name", opt.name}, {"scopes", opt.scopes}};
  if (opt.has("--user")) body["user_id"] = opt.user;
  return with_session(opt, "tokens create", [&](Session& s) {
    auto t = s.call("POST", "/tokens", body);
    if (!t || s.printed_json()) return;
    std::cout << "token " << field(*t, "id") << " (scopes "
              << ((*t)["scopes"].empty() ? "of the role" : field(*t, "scopes")) << "):\n"
              << "  " << field(*t, "token") << "\n"
              << "Keep it now: it is not shown again (only its hash is stored).\n";
  });
}

int tokens_revoke(const ApiOptions& opt) {
  const auto id = id_arg(opt, "tokens revoke");
  if (!id) return kExitUsage;
  return with_session(opt, "tokens revoke", [&](Session& s) {
    auto t = s.call("DELETE", "/tokens/" + std::to_string(*id));
    if (!t || s.printed_json()) return;
    std::cout << "revoked token " << *id << "\n";
  });
}

// ---- SIGs, liaison networks, consultation categories ----

int sigs_list(const ApiOptions& opt) {
  return with_session(opt, "sigs list", [&](Session& s) {
    auto j = s.call("GET", "/sigs");
    if (!j || s.printed_json()) return;
    std::vector<std::vector<std::string>> rows;
    for (const auto& g : (*j)["items"])
      rows.push_back({field(g, "id"), field(g, "name"), field(g, "name_ja"), field(g, "members")});
    print_table({"ID", "NAME", "NAME_JA", "MEMBERS"}, rows);
  });
}

int sigs_create(const ApiOptions& opt) {
  return with_session(opt, "sigs create", [&](Session& s) {
    auto g = s.call("POST", "/sigs", json{{"name", opt.name}, {"name_ja", opt.name_ja}});
    if (!g || s.printed_json()) return;
    std::cout << "created SIG " << field(*g, "id") << " " << field(*g, "name") << "\n";
  });
}

int sigs_add_member(const ApiOptions& opt) {
  const auto id = id_arg(opt, "sigs add-member");
  if (!id) return kExitUsage;
  json body = {{"organization_id", opt.org}, {"joined_on", opt.joined}};
  if (opt.has("--left")) body["left_on"] = opt.left;
  return with_session(opt, "sigs add-member", [&](Session& s) {
    auto m = s.call("POST", "/sigs/" + std::to_string(*id) + "/members", body);
    if (!m || s.printed_json()) return;
    std::cout << "organisation " << opt.org << " in SIG " << *id << " from "
              << field(*m, "joined_on")
              << ((*m)["left_on"].is_null() ? "" : " to " + field(*m, "left_on")) << "\n";
  });
}

int sigs_leave(const ApiOptions& opt) {
  const auto id = id_arg(opt, "sigs leave");
  if (!id) return kExitUsage;
  return with_session(opt, "sigs leave", [&](Session& s) {
    auto m = s.call("PATCH", "/sigs/" + std::to_string(*id) + "/members/" + std::to_string(opt.org),
                    json{{"left_on", opt.left}});
    if (!m || s.printed_json()) return;
    std::cout << "organisation " << opt.org << " left SIG " << *id << " on " << field(*m, "left_on")
              << " (member since " << field(*m, "joined_on") << ")\n";
  });
}

int liaison_list(const ApiOptions& opt) {
  return with_session(opt, "liaison list", [&](Session& s) {
    auto j = s.call("GET", "/liaison-networks");
    if (!j || s.printed_json()) return;
    std::vector<std::vector<std::string>> rows;
    for (const auto& n : (*j)["items"])
      rows.push_back({field(n, "id"), field(n, "name"), field(n, "name_ja"),
                      field(n, "represented_members"), field(n, "organization_id")});
    print_table({"ID", "NAME", "NAME_JA", "MEMBERS", "ORG"}, rows);
  });
}

int liaison_create(const ApiOptions& opt) {
  json body = {{"name", opt.name}, {"name_ja", opt.name_ja}, {"represented_members", opt.members}};
  if (opt.has("--org")) body["organization_id"] = opt.org;
  return with_session(opt, "liaison create", [&](Session& s) {
    auto n = s.call("POST", "/liaison-networks", body);
    if (!n || s.printed_json()) return;
    std::cout << "created liaison network " << field(*n, "id") << " " << field(*n, "name")
              << " (relays to " << field(*n, "represented_members") << ")\n";
  });
}

int categories_list(const ApiOptions& opt) {
  return with_session(opt, "categories list", [&](Session& s) {
    auto j = s.call("GET", "/consultation-categories");
    if (!j || s.printed_json()) return;
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : (*j)["items"])
      rows.push_back({field(c, "key"), field(c, "name"), field(c, "name_ja")});
    print_table({"KEY", "NAME", "NAME_JA"}, rows);
  });
}

int categories_create(const ApiOptions& opt) {
  return with_session(opt, "categories create", [&](Session& s) {
    auto c = s.call("POST", "/consultation-categories",
                    json{{"key", opt.key}, {"name", opt.name}, {"name_ja", opt.name_ja}});
    if (!c || s.printed_json()) return;
    std::cout << "created consultation category " << field(*c, "key") << "\n";
  });
}

}  // namespace

void register_admin_api(CLI::App& admin, std::function<int()>& run) {
  auto opt = std::make_shared<ApiOptions>();
  // A leaf command: the connection options, and what runs when it was chosen.
  auto leaf = [&](CLI::App* group, const char* name, const char* what,
                  int (*fn)(const ApiOptions&)) {
    CLI::App* c = group->add_subcommand(name, what);
    c->add_option("--server", opt->server,
                  "Hub URL (default $RENKEI_SERVER, else http://127.0.0.1:8080)");
    c->add_option("--token", opt->token, "API token of a hub admin (default $RENKEI_TOKEN)");
    c->add_option("--format", opt->format, "text (tables), or json: the API's JSON")
        ->check(CLI::IsMember({"text", "json"}));
    c->callback([&run, opt, fn] { run = [opt, fn] { return fn(*opt); }; });
    return c;
  };
  auto track = [&](CLI::Option* o, const std::string& flag) {
    opt->given.emplace(flag, o);
    return o;
  };
  auto group = [&](const char* name, const char* what) {
    CLI::App* g = admin.add_subcommand(name, what);
    g->require_subcommand(1);
    return g;
  };

  CLI::App* orgs = group("orgs", "Organisations and their registry data (through the API)");
  leaf(orgs, "list", "List the organisations", orgs_list);
  leaf(orgs, "show", "One organisation with its VIPs and SIG memberships", orgs_show)
      ->add_option("id", opt->id, "Organisation id")
      ->required();
  for (const char* name : {"create", "update"}) {
    const bool create = std::string_view(name) == "create";
    CLI::App* c =
        leaf(orgs, name,
             create ? "Create an organisation"
                    : "Change an organisation (what no option names is kept; lists given replace)",
             create ? orgs_create : orgs_update);
    if (!create) c->add_option("id", opt->id, "Organisation id")->required();
    auto* n = track(c->add_option("--name", opt->name, "Name"), "--name");
    if (create) n->required();
    track(c->add_option("--name-ja", opt->name_ja, "Japanese name"), "--name-ja");
    track(c->add_option("--industry", opt->industry, "Industry"), "--industry");
    track(c->add_option("--domain", opt->domains,
                        "The organisation's domain (repeat; replaces the list)"),
          "--domain");
    track(c->add_option("--partner-domain", opt->partner_domains,
                        "A partner's domain (repeat; replaces the list)"),
          "--partner-domain");
    c->add_option("--from-json", opt->from_json,
                  "The organisation as JSON (the API's Organization: names, domains, "
                  "partner_domains, vips), a file or - for "
                  "standard input; options given win");
  }

  CLI::App* users = group("users", "Users and their roles (through the API)");
  leaf(users, "list", "List the users", users_list);
  CLI::App* uc = leaf(users, "create", "Create a user", users_create);
  uc->add_option("--login", opt->login, "Login")->required();
  uc->add_option("--role", opt->role, "hub_admin, hub_analyst, submitter, reader or liaison")
      ->required();
  track(uc->add_option("--org", opt->org, "Organisation id (participants need one)"), "--org");
  track(uc->add_option("--display-name", opt->display_name, "Name shown"), "--display-name");
  uc->add_flag("--password-stdin", opt->password_stdin,
               "Read a password from standard input (else a token-only account)");
  CLI::App* uu = leaf(users, "update", "Change a user", users_update);
  uu->add_option("id", opt->id, "User id")->required();
  uu->add_flag("--disable", opt->disable,
               "Disable the account (its sessions and tokens stop working at once)");
  uu->add_flag("--enable", opt->enable, "Enable the account again");
  track(uu->add_option("--role", opt->role, "New role"), "--role");
  track(uu->add_option("--display-name", opt->display_name, "New name shown"), "--display-name");
  uu->add_flag("--password-stdin", opt->password_stdin,
               "Read a new password from standard input (an empty line is refused)");

  CLI::App* tokens = group("tokens", "API tokens (through the API)");
  track(leaf(tokens, "list", "List API tokens (yours; a hub admin may give --user)", tokens_list)
            ->add_option("--user", opt->user, "Another user's tokens (hub admin)"),
        "--user");
  CLI::App* tc = leaf(tokens, "create", "Create an API token (printed once)", tokens_create);
  tc->add_option("--name", opt->name, "What the token is for");
  tc->add_option("--scope", opt->scopes,
                 "read, submit or admin (repeat; default: what the creator has)")
      ->check(CLI::IsMember({"read", "submit", "admin"}));
  track(tc->add_option("--user", opt->user, "For another user (hub admin)"), "--user");
  leaf(tokens, "revoke", "Revoke an API token", tokens_revoke)
      ->add_option("id", opt->id, "Token id")
      ->required();

  CLI::App* sigs = group("sigs", "SIGs (industry groups) and their members (through the API)");
  leaf(sigs, "list", "List the SIGs with their member counts", sigs_list);
  CLI::App* sc = leaf(sigs, "create", "Create a SIG", sigs_create);
  sc->add_option("--name", opt->name, "Name")->required();
  sc->add_option("--name-ja", opt->name_ja, "Japanese name");
  CLI::App* sm = leaf(sigs, "add-member",
                      "Record that an organisation joined (and maybe left) a SIG", sigs_add_member);
  sm->add_option("id", opt->id, "SIG id")->required();
  sm->add_option("--org", opt->org, "Organisation id")->required();
  sm->add_option("--joined", opt->joined, "Date joined, YYYY-MM-DD")->required();
  track(sm->add_option("--left", opt->left, "Date left, YYYY-MM-DD"), "--left");
  CLI::App* sl =
      leaf(sigs, "leave", "Record that an organisation left a SIG (its history stays)", sigs_leave);
  sl->add_option("id", opt->id, "SIG id")->required();
  sl->add_option("--org", opt->org, "Organisation id")->required();
  sl->add_option("--left", opt->left, "Date left, YYYY-MM-DD")->required();

  CLI::App* liaison = group("liaison", "Liaison networks (through the API)");
  leaf(liaison, "list", "List the liaison networks", liaison_list);
  CLI::App* lc = leaf(liaison, "create", "Create a liaison network", liaison_create);
  lc->add_option("--name", opt->name, "Name")->required();
  lc->add_option("--name-ja", opt->name_ja, "Japanese name");
  lc->add_option("--members", opt->members, "How many organisations it relays to")
      ->check(CLI::NonNegativeNumber);
  track(lc->add_option("--org", opt->org, "The organisation that represents it in the hub"),
        "--org");

  CLI::App* cats = group("categories", "Consultation categories (through the API)");
  leaf(cats, "list", "List the consultation categories", categories_list);
  CLI::App* cc =
      leaf(cats, "create", "Add a consultation category at the end of the list", categories_create);
  cc->add_option("--key", opt->key, "Key: lowercase letters, digits, _")->required();
  cc->add_option("--name", opt->name, "Name")->required();
  cc->add_option("--name-ja", opt->name_ja, "Japanese name");
}

}  // namespace renkei::cli
