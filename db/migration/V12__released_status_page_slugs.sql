-- A status page address its owner gave up (changed to another) stays theirs for a while
-- (gatewatch.web.released-slug-reserve), so a visitor's bookmark or a badge embedded elsewhere cannot be taken over by
-- another owner at once. The previous owner may take it back; a deleted owner's reservation simply runs out.
create table released_slug (
    slug           text        primary key,
    owner_id       bigint      references owner (id) on delete set null,
    released_at    timestamptz not null default now(),
    reserved_until timestamptz not null
);
create index released_slug_until_idx on released_slug (reserved_until);
