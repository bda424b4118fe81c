/* How fast this machine runs LogReg's forward register tile, against its FMA peak, from L1 (AVX2 + FMA).
 *   gcc -O2 -mavx2 -mfma -o /tmp/tiles bench/c/tiles.c && /tmp/tiles
 * peak: ten independent FMA chains; tile: 2 rows x 5 classes over 784 features, as FusedMicrokernels.Tile2x5,
 * with the rows as bytes widened in registers (vpmovzxbd + vcvtdq2ps) or as floats. */
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define D 784

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

__attribute__((noinline)) static void tile(const uint8_t *xa, const uint8_t *xb, const float *w, float *out, int bytes) {
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0;
    for (int j = 0; j < D; j += 8) {
        __m256 x0, x1;
        if (bytes) {
            x0 = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(xa + j))));
            x1 = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(xb + j))));
        } else {
            x0 = _mm256_loadu_ps((const float *)xa + j);
            x1 = _mm256_loadu_ps((const float *)xb + j);
        }
        __m256 v = _mm256_loadu_ps(w + j);
        a0 = _mm256_fmadd_ps(x0, v, a0); b0 = _mm256_fmadd_ps(x1, v, b0);
        v = _mm256_loadu_ps(w + D + j);
        a1 = _mm256_fmadd_ps(x0, v, a1); b1 = _mm256_fmadd_ps(x1, v, b1);
        v = _mm256_loadu_ps(w + 2 * D + j);
        a2 = _mm256_fmadd_ps(x0, v, a2); b2 = _mm256_fmadd_ps(x1, v, b2);
        v = _mm256_loadu_ps(w + 3 * D + j);
        a3 = _mm256_fmadd_ps(x0, v, a3); b3 = _mm256_fmadd_ps(x1, v, b3);
        v = _mm256_loadu_ps(w + 4 * D + j);
        a4 = _mm256_fmadd_ps(x0, v, a4); b4 = _mm256_fmadd_ps(x1, v, b4);
    }
    __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
                             _mm256_add_ps(_mm256_add_ps(a4, b0), _mm256_add_ps(_mm256_add_ps(b1, b2), _mm256_add_ps(b3, b4))));
    _mm256_storeu_ps(out, s);
}

__attribute__((noinline)) static float peak(long n) {
    __m256 x = _mm256_set1_ps(0.999f), y = _mm256_set1_ps(0.0001f);
    __m256 a0 = _mm256_set1_ps(0.1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0;
    for (long i = 0; i < n; i++) {
        a0 = _mm256_fmadd_ps(a0, x, y); a1 = _mm256_fmadd_ps(a1, x, y); a2 = _mm256_fmadd_ps(a2, x, y);
        a3 = _mm256_fmadd_ps(a3, x, y); a4 = _mm256_fmadd_ps(a4, x, y); a5 = _mm256_fmadd_ps(a5, x, y);
        a6 = _mm256_fmadd_ps(a6, x, y); a7 = _mm256_fmadd_ps(a7, x, y); a8 = _mm256_fmadd_ps(a8, x, y);
        a9 = _mm256_fmadd_ps(a9, x, y);
    }
    float o[8];
    __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
                             _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(_mm256_add_ps(a6, a7), _mm256_add_ps(a8, a9))));
    _mm256_storeu_ps(o, s);
    return o[0];
}

int main(void) {
    float *w = aligned_alloc(64, 5 * D * sizeof(float));
    uint8_t *x = aligned_alloc(64, 2 * D * sizeof(float));
    for (int i = 0; i < 5 * D; i++) w[i] = 0.001f * (i % 100);
    for (int i = 0; i < 2 * D * (int)sizeof(float); i++) x[i] = (uint8_t)i;
    const long iterations = 200000, steps = D / 8;
    double t = now();
    float check = peak(iterations * steps);
    double elapsed = now() - t;
    printf("peak: %.1f GFLOPS per core (ten independent FMA chains)\n", iterations * steps * 10 * 16 / elapsed / 1e9);
    float out[8];
    for (int bytes = 1; bytes >= 0; bytes--) {
        t = now();
        for (long i = 0; i < iterations; i++) {
            tile(x, x + D * (bytes ? 1 : 4), w, out, bytes);
            check += out[0];
        }
        elapsed = now() - t;
        printf("tile 2 rows x 5 classes, rows as %s: %.1f GFLOPS\n", bytes ? "bytes" : "floats", iterations * steps * 10 * 16 / elapsed / 1e9);
    }
    return check == 12345.0f; /* keeps the results alive */
}
