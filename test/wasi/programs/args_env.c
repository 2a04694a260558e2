// args_env.c: WASI args_get, args_sizes_get, environ_get, environ_sizes_get,
// directly and through libc (argv, getenv), on success and error (FAULT) paths.
#include "check.h"

static int compare_strings(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  __wasi_size_t count, size;
  EXPECT_ERRNO(__wasi_args_sizes_get(&count, &size), 0, "args_sizes_get");
  EXPECT((int)count == argc, "args count equals libc argc");
  char **args = calloc(count + 1, sizeof *args);
  char *buf = malloc(size);
  EXPECT_ERRNO(__wasi_args_get((uint8_t **)args, (uint8_t *)buf), 0, "args_get");
  size_t total = 0;
  for (size_t i = 0; i < count; i++) total += strlen(args[i]) + 1;
  EXPECT(total == size, "args buffer size is the sum of NUL-terminated args");
  // argv[0] is whatever name the runtime gives the program; print the rest.
  for (size_t i = 1; i < count; i++) {
    printf("arg %zu: [%s] (%zu bytes)\n", i, args[i], strlen(args[i]));
    EXPECT(strcmp(args[i], argv[i]) == 0, "args_get agrees with libc argv");
  }

  EXPECT_ERRNO(__wasi_environ_sizes_get(&count, &size), 0, "environ_sizes_get");
  char **env = calloc(count + 1, sizeof *env);
  char *envbuf = malloc(size);
  EXPECT_ERRNO(__wasi_environ_get((uint8_t **)env, (uint8_t *)envbuf), 0,
               "environ_get");
  total = 0;
  for (size_t i = 0; i < count; i++) total += strlen(env[i]) + 1;
  EXPECT(total == size, "environ buffer size is the sum of NUL-terminated entries");
  qsort(env, count, sizeof *env, compare_strings);
  printf("environ has %u entries\n", (unsigned)count);
  for (size_t i = 0; i < count; i++) printf("env: [%s]\n", env[i]);
  const char *greeting = getenv("GREETING");
  EXPECT(greeting && strcmp(greeting, "hello world") == 0, "getenv GREETING");
  const char *empty = getenv("EMPTY");
  EXPECT(empty && *empty == 0, "getenv EMPTY is set and empty");
  EXPECT(getenv("HOME") == NULL && getenv("PATH") == NULL,
         "no host environment leaks in (HOME, PATH unset)");

  // Wild pointers: the host must refuse with FAULT, not crash or write.
  EXPECT_ERRNO(__wasi_args_sizes_get(WILD, &size), __WASI_ERRNO_FAULT,
               "args_sizes_get wild count pointer");
  EXPECT_ERRNO(__wasi_args_get((uint8_t **)args, WILD), __WASI_ERRNO_FAULT,
               "args_get wild buffer");
  EXPECT_ERRNO(__wasi_args_get(WILD, (uint8_t *)buf), __WASI_ERRNO_FAULT,
               "args_get wild pointer array");
  EXPECT_ERRNO(__wasi_environ_sizes_get(&count, WILD), __WASI_ERRNO_FAULT,
               "environ_sizes_get wild size pointer");
  EXPECT_ERRNO(__wasi_environ_get((uint8_t **)env, WILD), __WASI_ERRNO_FAULT,
               "environ_get wild buffer");
  return finish();
}
