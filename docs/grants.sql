-- The service's database role may add to the event log and the audit trail, and read them, but
-- never change or remove what is there: no UPDATE, DELETE or TRUNCATE.
--
-- Run as the owner of the tables (the role that runs `manage.py migrate`, which should not be the
-- role the web and worker processes connect as), after the first migrate, e.g.:
--     psql "$DATABASE_URL_OF_THE_OWNER" -v ON_ERROR_STOP=1 -f docs/grants.sql
-- The service's role is called rkcp_app below: replace that name with yours. Neither role may be a
-- superuser, which ignores every privilege (and may empty these tables, see
-- common/migrations/0001_audit_trail_append_only.py).
--
-- These tables also refuse UPDATE and DELETE from anyone, and TRUNCATE from anyone but a
-- superuser, by triggers the migrations create; the grants mean the service's own role is
-- refused before a trigger is even reached. tests/test_audit_grants.py runs this file.

REVOKE ALL ON TABLE certification_event, auditlog_logentry FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON TABLE certification_event, auditlog_logentry FROM rkcp_app;
GRANT SELECT, INSERT ON TABLE certification_event, auditlog_logentry TO rkcp_app;
