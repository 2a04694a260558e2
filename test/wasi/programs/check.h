// check.h: the tiny self-checking harness shared by the C and C++ WASI test programs.
// Each check prints one transcript line ("ok   ..." or "FAIL ..."); finish() prints
// the count and returns the exit status, so a test compares stdout and exit code.
#ifndef CHECK_H
#define CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

// Line-buffered, so a transcript cut short by a hang or a trap shows how far it got.
__attribute__((constructor)) static void line_buffered_stdout(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
}

static int checks_run = 0;
static int checks_failed = 0;

// Names of the 77 wasi_snapshot_preview1 errno values, in numeric order.
static const char *const errno_names[] = {
    "SUCCESS", "2BIG", "ACCES", "ADDRINUSE", "ADDRNOTAVAIL", "AFNOSUPPORT", "AGAIN",
    "ALREADY", "BADF", "BADMSG", "BUSY", "CANCELED", "CHILD", "CONNABORTED",
    "CONNREFUSED", "CONNRESET", "DEADLK", "DESTADDRREQ", "DOM", "DQUOT", "EXIST",
    "FAULT", "FBIG", "HOSTUNREACH", "IDRM", "ILSEQ", "INPROGRESS", "INTR", "INVAL",
    "IO", "ISCONN", "ISDIR", "LOOP", "MFILE", "MLINK", "MSGSIZE", "MULTIHOP",
    "NAMETOOLONG", "NETDOWN", "NETRESET", "NETUNREACH", "NFILE", "NOBUFS", "NODEV",
    "NOENT", "NOEXEC", "NOLCK", "NOLINK", "NOMEM", "NOMSG", "NOPROTOOPT", "NOSPC",
    "NOSYS", "NOTCONN", "NOTDIR", "NOTEMPTY", "NOTRECOVERABLE", "NOTSOCK", "NOTSUP",
    "NOTTY", "NXIO", "OVERFLOW", "OWNERDEAD", "PERM", "PIPE", "PROTO",
    "PROTONOSUPPORT", "PROTOTYPE", "RANGE", "ROFS", "SPIPE", "SRCH", "STALE",
    "TIMEDOUT", "TXTBSY", "XDEV", "NOTCAPABLE",
};

__attribute__((unused)) static const char *errno_name(unsigned e) {
  return e < sizeof errno_names / sizeof errno_names[0] ? errno_names[e] : "?";
}

// Output goes through stdio; flush before any direct fd_write to stdout so the
// transcript stays in order.
#define EXPECT(cond, what)                                                     \
  do {                                                                         \
    checks_run++;                                                              \
    if (cond) {                                                                \
      printf("ok   %s\n", what);                                               \
    } else {                                                                   \
      checks_failed++;                                                         \
      printf("FAIL %s (line %d)\n", what, __LINE__);                           \
    }                                                                          \
  } while (0)

// A call that must return exactly one errno (0 = success).
#define EXPECT_ERRNO(call, want, what)                                         \
  do {                                                                         \
    unsigned got_ = (call);                                                    \
    checks_run++;                                                              \
    if (got_ == (unsigned)(want)) {                                            \
      printf("ok   %s -> %s\n", what, errno_name(want));                       \
    } else {                                                                   \
      checks_failed++;                                                         \
      printf("FAIL %s -> %s, expected %s (line %d)\n", what, errno_name(got_), \
             errno_name(want), __LINE__);                                      \
    }                                                                          \
  } while (0)

// A call where the specification leaves a choice between two errnos (the
// official testsuite accepts either); the transcript names both.
#define EXPECT_ERRNO2(call, want1, want2, what)                                \
  do {                                                                         \
    unsigned got_ = (call);                                                    \
    checks_run++;                                                              \
    if (got_ == (unsigned)(want1) || got_ == (unsigned)(want2)) {              \
      printf("ok   %s -> %s|%s\n", what, errno_name(want1), errno_name(want2)); \
    } else {                                                                   \
      checks_failed++;                                                         \
      printf("FAIL %s -> %s, expected %s|%s (line %d)\n", what,                \
             errno_name(got_), errno_name(want1), errno_name(want2), __LINE__); \
    }                                                                          \
  } while (0)

// The same with three acceptable errnos.
#define EXPECT_ERRNO3(call, want1, want2, want3, what)                         \
  do {                                                                         \
    unsigned got_ = (call);                                                    \
    checks_run++;                                                              \
    if (got_ == (unsigned)(want1) || got_ == (unsigned)(want2) ||              \
        got_ == (unsigned)(want3)) {                                           \
      printf("ok   %s -> %s|%s|%s\n", what, errno_name(want1),                  \
             errno_name(want2), errno_name(want3));                            \
    } else {                                                                   \
      checks_failed++;                                                         \
      printf("FAIL %s -> %s, expected %s|%s|%s (line %d)\n", what,              \
             errno_name(got_), errno_name(want1), errno_name(want2),           \
             errno_name(want3), __LINE__);                                     \
    }                                                                          \
  } while (0)

__attribute__((unused)) static int finish(void) {
  printf("%d checks, %d failed\n", checks_run, checks_failed);
  fflush(stdout);
  return checks_failed ? 1 : 0;
}

// The descriptor of the preopened directory with this guest name, or -1.
__attribute__((unused)) static int find_preopen(const char *name) {
  for (__wasi_fd_t fd = 3; fd < 64; fd++) {
    __wasi_prestat_t ps;
    if (__wasi_fd_prestat_get(fd, &ps) != 0) break;
    if (ps.tag != __WASI_PREOPENTYPE_DIR) continue;
    char buf[256];
    size_t len = ps.u.dir.pr_name_len;
    if (len >= sizeof buf) continue;
    if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, len) != 0) continue;
    buf[len] = 0;
    if (strcmp(buf, name) == 0) return (int)fd;
  }
  return -1;
}

// An address far past the end of any linear memory these programs use: wild
// pointers built from it must make WASI return FAULT, never touch the host.
#define WILD ((void *)(uintptr_t)0xfffffff0u)

#endif
