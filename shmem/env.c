/* SPDX-License-Identifier: MIT */
/* The specification's environment variables, declared once in
 * zc_shmem_param_table (zcomm_info lists it). They are read before
 * zc_init, because two of them become core tunables: SHMEM_SYMMETRIC_SIZE
 * sets ZC_HEAP_SIZE and SHMEM_DEBUG sets ZC_LOG (neither overrides a ZC_
 * variable the user set). A deprecated SMA_* variable counts when its
 * SHMEM_* twin is unset. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"
#include "zc_core.h"	/* ZC_HEAP_SIZE's default, and its parser */

/* Each is NULL when unset (or empty): "any value" means set. */
static struct {
	const char *symmetric_size, *version, *info, *debug;
} env;

const struct zc_param zc_shmem_param_table[] = {
	{ "SHMEM_SYMMETRIC_SIZE", ZC_PARAM_STRING, "(unset)",
	  "symmetric heap per PE: bytes with one optional k/K/m/M/g/G/t/T "
	  "suffix, fractions allowed (3.1m); becomes ZC_HEAP_SIZE plus room "
	  "for globals and the library's own objects, unless ZC_HEAP_SIZE is "
	  "set", &env.symmetric_size },
	{ "SHMEM_VERSION", ZC_PARAM_STRING, "(unset)",
	  "any value: PE 0 prints the library version at shmem_init",
	  &env.version },
	{ "SHMEM_INFO", ZC_PARAM_STRING, "(unset)",
	  "any value: PE 0 prints the version and these variables at "
	  "shmem_init", &env.info },
	{ "SHMEM_DEBUG", ZC_PARAM_STRING, "(unset)",
	  "any value: debug messages (ZC_LOG=debug, unless ZC_LOG is set: "
	  "info messages, and debug ones in debug builds)", &env.debug },
	{ NULL, 0, NULL, NULL, NULL },
};

/* The requested symmetric size in bytes, once parsed. */
static unsigned long long want_size;

/* A positive size in core's one grammar (zc_parse_size: "1.5G", ".5M",
 * K/M/G/T, an optional B): SHMEM_SYMMETRIC_SIZE and ZC_HEAP_SIZE read
 * alike; 0 is refused (the specification asks for a positive size). */
static int parse_size(const char *s, unsigned long long *out)
{
	size_t v;

	if (zc_parse_size(s, &v) || v == 0)
		return -EINVAL;
	*out = v;
	return 0;
}

/* What the layer takes from the heap besides the program's objects:
 * globals made symmetric, and its own small objects with their
 * alignment (core's barrier words and the team scratch live outside the
 * user's heap since issue 15). */
static unsigned long long overhead(void)
{
	return sh_symdata_size() + (64ull << 10);
}

/* With neither size given, the program's globals (made symmetric in the
 * heap) come on top of ZC_HEAP_SIZE's default rather than out of it, so
 * a program with large static arrays still has the default heap free. */
static int default_heap(void)
{
	size_t def = 0, data = sh_symdata_size();
	char buf[32];

	if (getenv("ZC_HEAP_SIZE") || data < (1u << 20))
		return 0;
	for (const struct zc_param *p = zc_core_param_table; p->name; p++)
		if (!strcmp(p->name, "ZC_HEAP_SIZE") &&
		    zc_parse_size(p->def, &def))
			def = 0;
	if (!def)
		return 0;
	snprintf(buf, sizeof(buf), "%zu", def + data);
	setenv("ZC_HEAP_SIZE", buf, 1);
	return 0;
}

int sh_env_before_init(void)
{
	for (const struct zc_param *p = zc_shmem_param_table; p->name; p++) {
		const char *v = getenv(p->name);
		char sma[64];

		/* Set but empty counts as unset, as for the ZC_ variables. */
		if (!v || !*v) {
			snprintf(sma, sizeof(sma), "SMA_%s", p->name + 6);
			v = getenv(sma);
		}
		*(const char **)p->dst = v && *v ? v : NULL;
	}
	if (env.debug)
		setenv("ZC_LOG", "debug", 0);
	if (!env.symmetric_size)
		return default_heap();
	if (parse_size(env.symmetric_size, &want_size)) {
		zc_err("SHMEM_SYMMETRIC_SIZE='%s' is not a positive size (a "
		       "number, fractions allowed, with one optional k/K/m/M/"
		       "g/G/t/T suffix, as ZC_HEAP_SIZE)", env.symmetric_size);
		return -ZC_ECONFIG;
	}
	if (!getenv("ZC_HEAP_SIZE")) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%llu", want_size + overhead());
		setenv("ZC_HEAP_SIZE", buf, 1);
	}
	return 0;
}

void sh_env_after_init(void)
{
	size_t size = 0, avail = 0;

	zc_heap_info(&size, &avail);
	/* Info level: SHMEM_DEBUG shows it in release builds too. */
	zc_info("shmem: %d PEs, symmetric heap %zu bytes (%zu free), "
		"SHMEM_TEAM_SHARED of %d", zc_size(), size, avail,
		sh_team_size(SHMEM_TEAM_SHARED));
	if (env.symmetric_size && avail < want_size)
		zc_warn("SHMEM_SYMMETRIC_SIZE=%s: only %zu bytes of the "
			"symmetric heap are free after init (ZC_HEAP_SIZE=%s)",
			env.symmetric_size, avail, getenv("ZC_HEAP_SIZE"));
	if (zc_rank() != 0 || (!env.version && !env.info))
		return;
	printf("OpenSHMEM %d.%d, %s %d.%d.%d\n", SHMEM_MAJOR_VERSION,
	       SHMEM_MINOR_VERSION, SHMEM_VENDOR_STRING, ZC_VERSION_MAJOR,
	       ZC_VERSION_MINOR, ZC_VERSION_PATCH);
	if (env.info) {
		printf("symmetric heap: %zu bytes per PE, %zu free\n"
		       "environment variables (the SMA_* names are read when "
		       "the SHMEM_* one is unset):\n", size, avail);
		for (const struct zc_param *p = zc_shmem_param_table; p->name;
		     p++) {
			const char *v = *(const char *const *)p->dst;

			printf("  %-21s %-10s %s\n", p->name, v ? v : p->def,
			       p->help);
		}
		printf("zcomm's own tunables (ZC_*): run zcomm_info\n");
	}
	fflush(stdout);
}
