/** agent.yaml → immutable records, validated up front with errors that name the file, line and key path. */
package dev.nodeagent.agent.config;
