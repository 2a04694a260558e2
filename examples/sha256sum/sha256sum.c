// sha256sum for WASI: prints the SHA-256 digest of each file named on the command line
// (or of standard input when there is none), in the format of coreutils' sha256sum.
// It can read only what the host grants, e.g. `nanoprocess run --dir DIR sha256sum.wasm FILE`.

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  uint32_t state[8];
  uint64_t length;  // bytes hashed so far
  uint8_t block[64];
  size_t used;      // bytes in `block`
} Sha256;

static const uint32_t K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void compress(Sha256 *h, const uint8_t *p) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++) w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = h->state[0], b = h->state[1], c = h->state[2], d = h->state[3];
  uint32_t e = h->state[4], f = h->state[5], g = h->state[6], k = h->state[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
    uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    k = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  h->state[0] += a; h->state[1] += b; h->state[2] += c; h->state[3] += d;
  h->state[4] += e; h->state[5] += f; h->state[6] += g; h->state[7] += k;
}

static void sha256_init(Sha256 *h) {
  static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(h->state, iv, sizeof iv);
  h->length = 0;
  h->used = 0;
}

static void sha256_update(Sha256 *h, const uint8_t *p, size_t n) {
  h->length += n;
  while (n > 0) {
    size_t take = 64 - h->used < n ? 64 - h->used : n;
    memcpy(h->block + h->used, p, take);
    h->used += take;
    p += take;
    n -= take;
    if (h->used == 64) {
      compress(h, h->block);
      h->used = 0;
    }
  }
}

static void sha256_final(Sha256 *h, uint8_t out[32]) {
  uint64_t bits = h->length * 8;
  uint8_t pad = 0x80;
  sha256_update(h, &pad, 1);
  pad = 0;
  while (h->used != 56) sha256_update(h, &pad, 1);
  uint8_t len[8];
  for (int i = 0; i < 8; i++) len[i] = (uint8_t)(bits >> (56 - 8 * i));
  sha256_update(h, len, 8);
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (uint8_t)(h->state[i] >> 24);
    out[4 * i + 1] = (uint8_t)(h->state[i] >> 16);
    out[4 * i + 2] = (uint8_t)(h->state[i] >> 8);
    out[4 * i + 3] = (uint8_t)h->state[i];
  }
}

/** Hashes one stream and prints its line; returns 0, or 1 after a read error. */
static int sum(FILE *f, const char *name) {
  static uint8_t buf[65536];
  Sha256 h;
  sha256_init(&h);
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) sha256_update(&h, buf, n);
  if (ferror(f)) {
    fprintf(stderr, "sha256sum: %s: %s\n", name, strerror(errno));
    return 1;
  }
  uint8_t digest[32];
  sha256_final(&h, digest);
  for (int i = 0; i < 32; i++) printf("%02x", digest[i]);
  printf("  %s\n", name);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) return sum(stdin, "-");
  int status = 0;
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    if (f == NULL) {
      fprintf(stderr, "sha256sum: %s: %s\n", argv[i], strerror(errno));
      status = 1;
      continue;
    }
    status |= sum(f, argv[i]);
    fclose(f);
  }
  return status;
}
