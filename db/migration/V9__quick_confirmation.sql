-- Failures no deploy causes (NXDOMAIN, a bad certificate, 404/410, content failing on a 200, a blocked target) are
-- confirmed by two failing checks 10 s apart instead of the whole window, unless the owner turns that off.
alter table monitor add column quick_confirmation boolean not null default true;
