package dev.gatewatch.diagnosis.rest;

/** What anyone may ask to be diagnosed: one http(s) URL. */
public record DiagnoseRequest(String url) {
}
