/*
 * forecast_digest.h - the digest of a forecast's inputs: SHA-256 over a
 * canonical text of everything forecast_run reads (the engine's version, the
 * assumptions per year, the chart, every entity with its census, reserves and
 * base lines, the services (every year from the base year), the contracts, the
 * management actions, and each plugin's name, version and
 * settings). The same inputs give the same digest; any change that can change
 * a figure changes it.
 *
 * Pure (OpenSSL's SHA-256, no I/O); thread-safe.
 */
#ifndef BURSAR_FORECAST_DIGEST_H
#define BURSAR_FORECAST_DIGEST_H

#include "forecast.h"

/* The hex digest into out (65 bytes). 0, or -1 (no memory). */
int forecast_digest(const struct forecast_input *in, char out[65]) __attribute__((warn_unused_result));

#endif
