package dev.gatewatch.api;

import java.util.List;

/** One page of a list: items, the zero-based page number, page size and total count. */
public record Page<T>(List<T> items, int page, int size, long total) {
}
