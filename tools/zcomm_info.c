/* SPDX-License-Identifier: MIT */
/* zcomm_info: version, providers built in and usable here, and every
 * tunable with its default, current value and help (like ucx_info). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zc_core.h"

/* The OpenSHMEM layer's (shmem/env.c): read by shmem_init, not zc_init. */
extern const struct zc_param zc_shmem_param_table[];

static void print_params(const struct zc_param *p)
{
	for (; p && p->name; p++) {
		const char *cur = getenv(p->name);
		char now[48];

		/* Times in the unit they are used in: a bare number is ms. */
		if (p->type == ZC_PARAM_TIME_MS && !zc_param_load(p))
			snprintf(now, sizeof(now), "%ld ms", *(long *)p->dst);
		else
			snprintf(now, sizeof(now), "%s",
				 cur && *cur ? cur : "(default)");
		printf("  %-22s default %-8s current %-10s %s\n", p->name,
		       p->def, now, p->help);
	}
}

int main(int argc, char **argv)
{
	int bad = 0;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: zcomm_info\n");
		return 2;
	}
	printf("zcomm %d.%d.%d\n\n", ZC_VERSION_MAJOR, ZC_VERSION_MINOR,
	       ZC_VERSION_PATCH);
	printf("providers (in order of preference):\n");
	for (int i = 0; zc_providers[i]; i++) {
		const char *why = "";
		int rc = zc_providers[i]->query(&why);

		printf("  %-8s %s%s%s\n", zc_providers[i]->name,
		       rc ? "unusable here: " : "usable",
		       rc ? why : "", "");
	}
	for (int i = 0; zc_providers[i]; i++) {
		if (zc_providers[i]->size <= offsetof(struct zc_provider_ops,
						      info) ||
		    !zc_providers[i]->info)
			continue;
		printf("\n");
		zc_providers[i]->info(stdout);
	}
	printf("\nenvironment variables (core):\n");
	print_params(zc_core_param_table);
	printf("\nenvironment variables (collectives):\n");
	print_params(zc_coll_param_table);
	printf("\nenvironment variables (OpenSHMEM, at shmem_init):\n");
	print_params(zc_shmem_param_table);
	for (int i = 0; zc_providers[i]; i++) {
		if (!zc_providers[i]->params)
			continue;
		printf("\nenvironment variables (%s):\n", zc_providers[i]->name);
		print_params(zc_providers[i]->params);
	}
	/* Validate the current values the way zc_init would. */
	for (const struct zc_param *p = zc_core_param_table; p->name; p++)
		bad |= zc_param_load(p) != 0;
	bad |= !bad && zc_params_check() != 0;
	for (const struct zc_param *p = zc_coll_param_table; p->name; p++)
		bad |= zc_param_load(p) != 0;
	for (int i = 0; zc_providers[i]; i++)
		for (const struct zc_param *p = zc_providers[i]->params;
		     p && p->name; p++)
			bad |= zc_param_load(p) != 0;
	return bad ? 1 : 0;
}
