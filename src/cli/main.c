/* main.c - the command table and dispatch. */
#include <stdarg.h>
#include <string.h>

#include "cli.h"

static const tm_command commands[] = {
	{"scan", tm_cmd_scan, "build the model of a system and report it"},
	{"import", tm_cmd_import, "read another tool's threat model (OTM) and report on it"},
	{"diff", tm_cmd_diff, "review a change: triggers, review depth, new and resolved findings, agenda"},
	{"rules", tm_cmd_rules, "list the rule library"},
	{"explain", tm_cmd_explain, "explain one rule: what, why, how to fix and detect"},
	{"paths", tm_cmd_paths, "attack paths from a position (internet, partner, a namespace, a workload)"},
	{"query", tm_cmd_query, "can A call B? who can call B? (network, mTLS, JWT, authorization)"},
	{"findings", tm_cmd_findings, "the risk register: every finding's life and the decision in force"},
	{"accept", tm_cmd_accept, "accept a finding's risk, with an owner, a reason and an expiry"},
	{"status", tm_cmd_status, "mark a finding mitigated, false-positive, or open again"},
	{"history", tm_cmd_history, "runs over time: findings opened and closed, coverage, stale roots"},
	{"serve", tm_cmd_serve, "the model, the register and the history as local web pages"},
	{"version", tm_cmd_version, "print the version"},
	{"help", tm_cmd_help, "show this help"},
};

int tm_cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("trustmap: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	return TM_EXIT_USAGE;
}

int tm_cmd_help(int argc, char **argv)
{
	/* trustmap help COMMAND: the command's own --help, from its option table */
	if (argc > 1)
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			if (strcmp(argv[1], commands[i].name) == 0 && commands[i].fn != tm_cmd_help &&
			    commands[i].fn != tm_cmd_version) {
				static char help[] = "--help";
				char *sub[] = {argv[1], help, NULL};
				return commands[i].fn(2, sub);
			}
	if (argc > 1 && strcmp(argv[1], "-h") != 0 && strcmp(argv[1], "--help") != 0 &&
	    strcmp(argv[1], "help") != 0 && strcmp(argv[1], "version") != 0)
		return tm_cli_usage_error("help: unknown command '%s' (see 'trustmap help')", argv[1]);
	printf("usage: trustmap <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  %-10s %s\n", commands[i].name, commands[i].summary);
	printf("\nrun 'trustmap <command> --help' (or 'trustmap help <command>') for a command's options.\n"
	       "exit codes: 0 ok, 1 gate failed, 2 usage error, 3 input unreadable or invalid, 4 store error\n");
	return TM_EXIT_OK;
}

int tm_cmd_version(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		printf("usage: trustmap version\n\nPrint the version.\n\noptions:\n  -h, --help            show this help\n");
		return TM_EXIT_OK;
	}
	printf("trustmap %s\n", TM_VERSION);
	return TM_EXIT_OK;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		tm_cmd_help(0, NULL);
		return TM_EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
		return tm_cmd_help(argc - 1, argv + 1);
	if (strcmp(cmd, "--version") == 0)
		return tm_cmd_version(argc - 1, argv + 1);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(cmd, commands[i].name) == 0) {
			int rc = commands[i].fn(argc - 1, argv + 1);
			tm_cli_cache_close(); /* the parse cache, pruned to its bound */
			return rc;
		}
	}
	return tm_cli_usage_error("unknown command '%s' (see 'trustmap help')", cmd);
}
