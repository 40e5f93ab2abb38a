package dev.nodeagent.ctl;

/** {@code agentctl status -o}: a table, a wide table, JSON (the daemon's own /status document) or YAML. */
enum StatusFormat { table, wide, json, yaml }
