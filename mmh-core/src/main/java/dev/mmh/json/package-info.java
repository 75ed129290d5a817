/**
 * JSON (RFC 8259) for every module: {@link dev.mmh.json.Json#write} for the commands' {@code --json} output and
 * the bench reports, {@link dev.mmh.json.Json#parse} for the JSON inside tensor files (safetensors headers,
 * TensorFlow.js manifests).
 */
package dev.mmh.json;
