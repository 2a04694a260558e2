// poll_stdin.c: WASI poll_oneoff (relative and absolute clocks, several clocks,
// fd_write on stdout, fd_read on a file and on stdin, bad descriptors, bad
// arguments) and reading piped stdin to its end. Needs a preopen /sandbox
// holding hello.txt, and stdin "hello\nworld\n" (a pipe, not a terminal).
#include <ctype.h>
#include "check.h"

static __wasi_timestamp_t now(void) {
  __wasi_timestamp_t t = 0;
  __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t);
  return t;
}

static __wasi_subscription_t clock_sub(uint64_t userdata, __wasi_clockid_t id,
                                        __wasi_timestamp_t timeout, int abstime) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = userdata;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = id;
  s.u.u.clock.timeout = timeout;
  s.u.u.clock.flags = abstime ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
  return s;
}

static __wasi_subscription_t fd_sub(uint64_t userdata, __wasi_eventtype_t type, __wasi_fd_t fd) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = userdata;
  s.u.tag = type;
  s.u.u.fd_read.file_descriptor = fd;
  return s;
}

int main(void) {
  __wasi_event_t ev[4];
  __wasi_size_t n = 0;

  __wasi_subscription_t subs[4];
  subs[0] = clock_sub(42, __WASI_CLOCKID_MONOTONIC, 10 * 1000 * 1000, 0);
  __wasi_timestamp_t t0 = now();
  EXPECT_ERRNO(__wasi_poll_oneoff(subs, ev, 1, &n), 0, "poll_oneoff relative 10ms clock");
  EXPECT(n == 1 && ev[0].userdata == 42 && ev[0].type == __WASI_EVENTTYPE_CLOCK &&
             ev[0].error == 0,
         "one clock event with userdata 42");
  EXPECT(now() - t0 >= 9 * 1000 * 1000, "at least ~10ms passed");

  subs[0] = clock_sub(7, __WASI_CLOCKID_MONOTONIC, now() + 10 * 1000 * 1000, 1);
  t0 = now();
  EXPECT_ERRNO(__wasi_poll_oneoff(subs, ev, 1, &n), 0, "poll_oneoff absolute monotonic clock");
  EXPECT(n == 1 && ev[0].userdata == 7, "the absolute clock fired");
  EXPECT(now() - t0 >= 9 * 1000 * 1000, "it waited until the deadline");

  subs[0] = clock_sub(1, __WASI_CLOCKID_MONOTONIC, 5ull * 1000 * 1000 * 1000, 0);
  subs[1] = clock_sub(2, __WASI_CLOCKID_MONOTONIC, 5 * 1000 * 1000, 0);
  t0 = now();
  EXPECT_ERRNO(__wasi_poll_oneoff(subs, ev, 2, &n), 0, "poll_oneoff 5s and 5ms clocks");
  EXPECT(n == 1 && ev[0].userdata == 2, "only the 5ms clock fired");
  EXPECT(now() - t0 < 2ull * 1000 * 1000 * 1000, "it did not wait for the 5s clock");

  subs[0] = clock_sub(3, __WASI_CLOCKID_MONOTONIC, 0, 0);
  EXPECT_ERRNO(__wasi_poll_oneoff(subs, ev, 1, &n), 0, "poll_oneoff zero timeout");
  EXPECT(n == 1 && ev[0].userdata == 3, "a zero timeout fires at once");

  subs[0] = fd_sub(10, __WASI_EVENTTYPE_FD_WRITE, 1);
  subs[1] = clock_sub(11, __WASI_CLOCKID_MONOTONIC, 5ull * 1000 * 1000 * 1000, 0);
  EXPECT_ERRNO(__wasi_poll_oneoff(subs, ev, 2, &n), 0, "poll_oneoff fd_write on stdout");
  EXPECT(n == 1 && ev[0].userdata == 10 && ev[0].type == __WASI_EVENTTYPE_FD_WRITE &&
             ev[0].error == 0,
         "stdout is writable at once");

  int dir = find_preopen("/sandbox");
  __wasi_fd_t file;
  EXPECT_ERRNO(__wasi_path_open(dir, 0, "hello.txt", 0,
                                __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_POLL_FD_READWRITE, 0, 0,
                                &file),
               0, "path_open hello.txt");
  subs[0] = fd_sub(20, __WASI_EVENTTYPE_FD_READ, file);
  subs[1] = clock_sub(21, __WASI_CLOCKID_MONOTONIC, 5ull * 1000 * 1000 * 1000, 0);
  EXPECT_ERRNO(__wasi_poll_oneoff(subs, ev, 2, &n), 0, "poll_oneoff fd_read on a file");
  EXPECT(n == 1 && ev[0].userdata == 20 && ev[0].type == __WASI_EVENTTYPE_FD_READ &&
             ev[0].error == 0,
         "a regular file is readable at once");
  __wasi_fd_close(file);

  // stdin is a pipe whose writer has sent everything: readable at once.
  subs[0] = fd_sub(30, __WASI_EVENTTYPE_FD_READ, 0);
  subs[1] = clock_sub(31, __WASI_CLOCKID_MONOTONIC, 10ull * 1000 * 1000 * 1000, 0);
  EXPECT_ERRNO(__wasi_poll_oneoff(subs, ev, 2, &n), 0, "poll_oneoff fd_read on stdin");
  EXPECT(n >= 1 && ev[0].userdata == 30 && ev[0].error == 0, "stdin became readable");

  // A closed descriptor: reported in its event, or as the call's result.
  subs[0] = fd_sub(40, __WASI_EVENTTYPE_FD_READ, 99);
  __wasi_errno_t e = __wasi_poll_oneoff(subs, ev, 1, &n);
  EXPECT(e == __WASI_ERRNO_BADF ||
             (e == 0 && n == 1 && ev[0].userdata == 40 && ev[0].error == __WASI_ERRNO_BADF),
         "poll_oneoff on a closed fd reports BADF");
  EXPECT_ERRNO(__wasi_poll_oneoff(subs, ev, 0, &n), __WASI_ERRNO_INVAL,
               "poll_oneoff with no subscriptions");
  EXPECT_ERRNO(__wasi_poll_oneoff(WILD, ev, 1, &n), __WASI_ERRNO_FAULT,
               "poll_oneoff wild subscriptions");
  subs[0] = clock_sub(5, __WASI_CLOCKID_MONOTONIC, 0, 0);
  EXPECT_ERRNO(__wasi_poll_oneoff(subs, WILD, 1, &n), __WASI_ERRNO_FAULT,
               "poll_oneoff wild events");

  // Read stdin to its end through libc.
  char line[256];
  int lines = 0;
  size_t bytes = 0;
  while (fgets(line, sizeof line, stdin)) {
    lines++;
    bytes += strlen(line);
    for (char *p = line; *p; p++) *p = (char)toupper((unsigned char)*p);
    printf("stdin: %s", line);
  }
  printf("stdin: %d lines, %zu bytes, then end of file\n", lines, bytes);
  // At end of file, fd_read keeps returning 0 bytes.
  char c;
  __wasi_iovec_t iov = {(uint8_t *)&c, 1};
  EXPECT_ERRNO(__wasi_fd_read(0, &iov, 1, &n), 0, "fd_read stdin after end of file");
  EXPECT(n == 0, "it reads 0 bytes");
  return finish();
}
