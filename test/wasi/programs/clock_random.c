// clock_random.c: WASI clock_res_get, clock_time_get, random_get and sched_yield,
// directly and through libc (clock_gettime, getentropy, sched_yield).
#include <sched.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

int main(void) {
  __wasi_timestamp_t res = 0, t1 = 0, t2 = 0;
  EXPECT_ERRNO(__wasi_clock_res_get(__WASI_CLOCKID_REALTIME, &res), 0,
               "clock_res_get realtime");
  EXPECT(res > 0 && res <= 1000000000ull, "realtime resolution in (0, 1s]");
  EXPECT_ERRNO(__wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, &res), 0,
               "clock_res_get monotonic");
  EXPECT(res > 0 && res <= 1000000000ull, "monotonic resolution in (0, 1s]");
  EXPECT_ERRNO(__wasi_clock_res_get(99, &res), __WASI_ERRNO_INVAL,
               "clock_res_get unknown clock 99");
  EXPECT_ERRNO(__wasi_clock_res_get(__WASI_CLOCKID_REALTIME, WILD),
               __WASI_ERRNO_FAULT, "clock_res_get wild pointer");

  EXPECT_ERRNO(__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &t1), 0,
               "clock_time_get realtime");
  // 2020-01-01T00:00:00Z in nanoseconds: a clock before it is surely wrong.
  EXPECT(t1 > 1577836800000000000ull, "realtime is after 2020");
  EXPECT_ERRNO(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t1), 0,
               "clock_time_get monotonic");
  for (int i = 0; i < 1000; i++) __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t2);
  EXPECT(t2 >= t1, "monotonic never goes back");
  EXPECT_ERRNO(__wasi_clock_time_get(99, 1, &t1), __WASI_ERRNO_INVAL,
               "clock_time_get unknown clock 99");
  EXPECT_ERRNO(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, WILD),
               __WASI_ERRNO_FAULT, "clock_time_get wild pointer");

  struct timespec ts;
  EXPECT(clock_gettime(CLOCK_REALTIME, &ts) == 0 && ts.tv_sec > 1577836800,
         "libc clock_gettime realtime");
  EXPECT(time(NULL) > 1577836800, "libc time()");
  // A 20 ms sleep goes through poll_oneoff with a relative clock subscription.
  __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t1);
  struct timespec nap = {0, 20 * 1000 * 1000};
  EXPECT(nanosleep(&nap, NULL) == 0, "libc nanosleep 20ms");
  __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t2);
  EXPECT(t2 - t1 >= 19 * 1000 * 1000ull, "nanosleep slept at least ~20ms");

  uint8_t a[64], b[64];
  memset(a, 0, sizeof a);
  memset(b, 0, sizeof b);
  EXPECT_ERRNO(__wasi_random_get(a, sizeof a), 0, "random_get 64 bytes");
  EXPECT_ERRNO(__wasi_random_get(b, sizeof b), 0, "random_get 64 more bytes");
  EXPECT(memcmp(a, b, sizeof a) != 0, "two random draws differ");
  int nonzero = 0;
  for (size_t i = 0; i < sizeof a; i++) nonzero += a[i] != 0;
  EXPECT(nonzero > 32, "random bytes are mostly non-zero");
  EXPECT_ERRNO(__wasi_random_get(a, 0), 0, "random_get zero length");
  static uint8_t big[70000];
  EXPECT_ERRNO(__wasi_random_get(big, sizeof big), 0,
               "random_get 70000 bytes (beyond Web Crypto's 65536 limit)");
  EXPECT(big[sizeof big - 1] | big[sizeof big - 2] | big[sizeof big - 3] | big[sizeof big - 4],
         "the end of a large random buffer is filled");
  EXPECT_ERRNO(__wasi_random_get(WILD, 64), __WASI_ERRNO_FAULT,
               "random_get wild buffer");
  EXPECT(getentropy(a, 32) == 0, "libc getentropy");

  EXPECT_ERRNO(__wasi_sched_yield(), 0, "sched_yield");
  EXPECT(sched_yield() == 0, "libc sched_yield");
  return finish();
}
