/* SPDX-License-Identifier: MIT */
/* Tunables: each declared once in a table; the same table drives parsing
 * at init and the listing in zcomm_info. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "zc_core.h"

struct zc_core_params zc_core_params;

const struct zc_param zc_core_param_table[] = {
	{ "ZC_HEAP_SIZE", ZC_PARAM_SIZE, "256M",
	  "symmetric heap size per rank, all of it for the program (K/M/G/T "
	  "suffixes, fractions like 1.5G; minimum 4096)",
	  &zc_core_params.heap_size },
	{ "ZC_TRANSPORTS", ZC_PARAM_STRING, "auto",
	  "transports in order of preference, e.g. shm,tcp; auto: all built in",
	  &zc_core_params.transports },
	{ "ZC_LOG", ZC_PARAM_LOGLEVEL, "warn",
	  "log level: error, warn, info, debug, trace",
	  &zc_core_params.log_level },
	{ "ZC_PEER_TIMEOUT", ZC_PARAM_TIME_MS, "5s",
	  "time after which an unresponsive peer is declared dead (ms, s or "
	  "us suffix; a bare number is ms; must be positive)",
	  &zc_core_params.peer_timeout_ms },
	{ "ZC_SPIN", ZC_PARAM_INT, "-1",
	  "pauses before a waiting thread yields its CPU; -1: auto (256; 8 "
	  "when a transport's own thread serves peers: it may need this core; "
	  "0 when ranks outnumber CPUs)", &zc_core_params.spin },
	{ "ZC_BIND", ZC_PARAM_STRING, "auto",
	  "placement: auto binds each rank to one CPU (cores round robin) "
	  "when a node runs more ranks than CPUs and the launcher bound none; "
	  "always: bind whatever the count; none: leave it to the OS",
	  &zc_core_params.bind },
	{ "ZC_TEST_NODE", ZC_PARAM_STRING, "",
	  "tests only: a name added to this rank's node identity, so that "
	  "ranks of one host act as ranks of different nodes (no shared "
	  "memory between them)", &zc_core_params.test_node },
	{ NULL, 0, NULL, NULL, NULL },
};

/* The decimal number of the size and time grammars: digits, with a
 * fraction or not ("1.5", ".5"); no sign, space, hex or exponent. Exact:
 * the value is *whole + *num / *den; *end_p is what follows. */
static int parse_decimal(const char *s, unsigned long long *whole,
			 unsigned long long *num, unsigned long long *den,
			 const char **end_p)
{
	const char *end;
	unsigned long long v = 0, n = 0, d = 1;

	if (!s || !(isdigit((unsigned char)s[0]) ||
		    (s[0] == '.' && isdigit((unsigned char)s[1]))))
		return -EINVAL;
	for (end = s; isdigit((unsigned char)*end); end++) {
		if (v > (ULLONG_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (unsigned)(*end - '0');
	}
	if (*end == '.') {
		for (end++; isdigit((unsigned char)*end); end++) {
			if (d >= 1000000000000000000ull)
				return -EINVAL;	/* 18 digits are plenty */
			n = n * 10 + (unsigned)(*end - '0');
			d *= 10;
		}
	}
	*whole = v;
	*num = n;
	*den = d;
	*end_p = end;
	return 0;
}

/* The one size grammar (ZC_HEAP_SIZE, every other size tunable, and
 * SHMEM_SYMMETRIC_SIZE): a decimal number (parse_decimal), an optional
 * K/M/G/T suffix (powers of 1024, either case) and an optional B; a
 * fraction rounds up to the next byte. */
int zc_parse_size(const char *s, size_t *out)
{
	const char *end;
	unsigned long long v, num, den;
	unsigned __int128 frac;
	unsigned shift = 0;

	if (parse_decimal(s, &v, &num, &den, &end))
		return -EINVAL;
	switch (toupper((unsigned char)*end)) {
	case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	case 'T': shift = 40; end++; break;
	default: break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end != '\0' || v > (SIZE_MAX >> shift))
		return -EINVAL;
	frac = ((unsigned __int128)num << shift) + den - 1;
	frac /= den;
	if ((size_t)frac > SIZE_MAX - (size_t)(v << shift))
		return -EINVAL;
	*out = (size_t)(v << shift) + (size_t)frac;
	return 0;
}

/* Times: a decimal number (parse_decimal) and a unit, us, ms or s; a
 * bare number is ms. The value is kept in whole ms, rounded up, so a
 * positive time never becomes 0 ms (1500us is 2 ms, 500us 1 ms). */
int zc_parse_time_ms(const char *s, long *out)
{
	const char *end;
	unsigned long long v, num, den, us_per = 1000;
	unsigned __int128 us, ms;

	if (parse_decimal(s, &v, &num, &den, &end))
		return -EINVAL;
	if (!strcmp(end, "s"))
		us_per = 1000000;
	else if (!strcmp(end, "us"))
		us_per = 1;
	else if (strcmp(end, "ms") && *end)
		return -EINVAL;
	us = (unsigned __int128)v * us_per +
	     ((unsigned __int128)num * us_per + den - 1) / den;
	ms = (us + 999) / 1000;
	if (ms > LONG_MAX)
		return -EINVAL;
	*out = (long)ms;
	return 0;
}

static int parse_long(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 0);
	return (errno || end == s || *end) ? -EINVAL : 0;
}

static int parse_bool(const char *s, int *out)
{
	static const char *const yes[] = { "1", "y", "yes", "on", "true" };
	static const char *const no[] = { "0", "n", "no", "off", "false" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = 1;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*out = 0;
			return 0;
		}
	}
	return -EINVAL;
}

static int parse_loglevel(const char *s, enum zc_log_level *out)
{
	static const char *const names[] = { "error", "warn", "info", "debug",
					     "trace" };

	for (int i = 0; i < 5; i++) {
		if (!strcasecmp(s, names[i])) {
			*out = (enum zc_log_level)i;
			return 0;
		}
	}
	return -EINVAL;
}

int zc_param_load(const struct zc_param *p)
{
	const char *env = getenv(p->name);
	const char *s = (env && *env) ? env : p->def;
	int rc = -EINVAL;

	switch (p->type) {
	case ZC_PARAM_SIZE: rc = zc_parse_size(s, p->dst); break;
	case ZC_PARAM_INT: rc = parse_long(s, p->dst); break;
	case ZC_PARAM_BOOL: rc = parse_bool(s, p->dst); break;
	case ZC_PARAM_STRING: *(const char **)p->dst = s; rc = 0; break;
	case ZC_PARAM_TIME_MS: rc = zc_parse_time_ms(s, p->dst); break;
	case ZC_PARAM_LOGLEVEL: rc = parse_loglevel(s, p->dst); break;
	}
	if (rc) {
		zc_err("invalid value '%s' for %s (%s; default %s)", s,
		       p->name, p->help, p->def);
		return -ZC_ECONFIG;
	}
	return 0;
}

int zc_params_check(void)
{
	if (zc_core_params.peer_timeout_ms <= 0) {
		zc_err("ZC_PEER_TIMEOUT=%s: must be positive (a bare number is "
		       "milliseconds; 500ms, 5s)", getenv("ZC_PEER_TIMEOUT"));
		return -ZC_ECONFIG;
	}
	return 0;
}

int zc_params_load_all(void)
{
	int rc;

	for (const struct zc_param *p = zc_core_param_table; p->name; p++) {
		rc = zc_param_load(p);
		if (rc)
			return rc;
	}
	zc_log_level = zc_core_params.log_level;
	rc = zc_params_check();
	if (rc)
		return rc;
	for (const struct zc_param *p = zc_coll_param_table; p->name; p++) {
		rc = zc_param_load(p);
		if (rc)
			return rc;
	}
	for (int i = 0; zc_providers[i]; i++) {
		const struct zc_param *p = zc_providers[i]->params;

		for (; p && p->name; p++) {
			rc = zc_param_load(p);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int zc_transports_parse(const char *list, int *order, int max, int *n_p)
{
	const char *s = list;
	int n = 0;

	while (*s) {
		size_t len = strcspn(s, ",");
		int found = -1;

		for (int i = 0; zc_providers[i]; i++) {
			if (strlen(zc_providers[i]->name) == len &&
			    !strncmp(zc_providers[i]->name, s, len))
				found = i;
		}
		if (len == 0 || found < 0) {
			zc_err("ZC_TRANSPORTS='%s': unknown transport '%.*s'",
			       list, (int)len, s);
			return -ZC_ECONFIG;
		}
		if (n == max)
			return -ZC_ECONFIG;
		order[n++] = found;
		s += len;
		if (*s == ',')
			s++;
	}
	if (n == 0) {
		zc_err("ZC_TRANSPORTS is empty");
		return -ZC_ECONFIG;
	}
	*n_p = n;
	return 0;
}
