/* gmime_bare_parse: the GMime peer of bench/run.sh.
 *
 * A *bare parse*: for every file named on the command line (or, with no arguments or "-", one path
 * per line on standard input) it reads the file, builds the message with
 * g_mime_parser_construct_message, reads the top-level headers GMime decodes on access (Subject,
 * From, To, Date, Message-ID) and walks every part with g_mime_message_foreach, touching each
 * part's Content-Type, Content-Disposition filename and header list. It decodes no bodies (no
 * base64/QP, no charset conversion of body text): only what the parser itself does.
 *
 * Prints one line to stdout at the end: "messages=N parts=N failed=N bytes=N checksum=N".
 * The checksum (summed lengths of what was touched) keeps the work from being optimised away.
 */
#include <fcntl.h>
#include <gmime/gmime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct walk_state {
  unsigned long parts;
  unsigned long checksum;
};

static void touch_string(struct walk_state* st, const char* s) {
  if (s) st->checksum += strlen(s);
}

static void touch_headers(struct walk_state* st, GMimeObject* obj) {
  GMimeHeaderList* headers = g_mime_object_get_header_list(obj);
  int count = g_mime_header_list_get_count(headers);
  for (int i = 0; i < count; i++) {
    GMimeHeader* h = g_mime_header_list_get_header_at(headers, i);
    touch_string(st, g_mime_header_get_name(h));
    touch_string(st, g_mime_header_get_raw_value(h));
  }
}

static void visit_part(GMimeObject* parent, GMimeObject* part, gpointer user_data) {
  struct walk_state* st = user_data;
  (void)parent;
  st->parts++;
  touch_headers(st, part);
  GMimeContentType* ct = g_mime_object_get_content_type(part);
  if (ct) {
    touch_string(st, g_mime_content_type_get_media_type(ct));
    touch_string(st, g_mime_content_type_get_media_subtype(ct));
  }
  if (GMIME_IS_PART(part)) touch_string(st, g_mime_part_get_filename(GMIME_PART(part)));
}

static void touch_addresses(struct walk_state* st, InternetAddressList* list) {
  if (!list) return;
  int n = internet_address_list_length(list);
  for (int i = 0; i < n; i++) {
    InternetAddress* ia = internet_address_list_get_address(list, i);
    touch_string(st, internet_address_get_name(ia));
    if (INTERNET_ADDRESS_IS_MAILBOX(ia))
      touch_string(st, internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)));
  }
}

/* Returns 1 when a message was built, 0 otherwise. */
static int parse_one(const char* path, struct walk_state* st, unsigned long* bytes) {
  GError* err = NULL;
  GMimeStream* stream = g_mime_stream_fs_open(path, O_RDONLY, 0, &err);
  if (!stream) {
    fprintf(stderr, "gmime_bare_parse: %s: %s\n", path, err ? err->message : "cannot open");
    g_clear_error(&err);
    return 0;
  }
  gint64 len = g_mime_stream_length(stream);
  if (len > 0) *bytes += (unsigned long)len;

  GMimeParser* parser = g_mime_parser_new_with_stream(stream);
  g_object_unref(stream);
  GMimeMessage* message = g_mime_parser_construct_message(parser, NULL);
  g_object_unref(parser);
  if (!message) return 0;

  touch_string(st, g_mime_message_get_subject(message));
  touch_string(st, g_mime_message_get_message_id(message));
  GDateTime* date = g_mime_message_get_date(message);
  if (date) st->checksum += (unsigned long)g_date_time_get_year(date);
  touch_addresses(st, g_mime_message_get_from(message));
  touch_addresses(st, g_mime_message_get_to(message));
  touch_addresses(st, g_mime_message_get_reply_to(message));
  touch_headers(st, GMIME_OBJECT(message));
  g_mime_message_foreach(message, visit_part, st);
  g_object_unref(message);
  return 1;
}

int main(int argc, char** argv) {
  g_mime_init();
  struct walk_state st = {0, 0};
  unsigned long messages = 0, failed = 0, bytes = 0;

  int from_stdin = argc < 2 || (argc == 2 && strcmp(argv[1], "-") == 0);
  if (from_stdin) {
    char* line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) > 0) {
      while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
      if (n == 0) continue;
      if (parse_one(line, &st, &bytes))
        messages++;
      else
        failed++;
    }
    free(line);
  } else {
    for (int i = 1; i < argc; i++) {
      if (parse_one(argv[i], &st, &bytes))
        messages++;
      else
        failed++;
    }
  }

  printf("messages=%lu parts=%lu failed=%lu bytes=%lu checksum=%lu\n", messages, st.parts, failed,
         bytes, st.checksum);
  g_mime_shutdown();
  return 0;
}
