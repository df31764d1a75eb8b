def test_healthz_reports_database_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_accessibility_statement_is_public_and_swedish(client, db):
    response = client.get("/tillganglighet/")
    assert response.status_code == 200
    assert "Tillgänglighetsredogörelse" in response.content.decode()


def test_pages_send_a_strict_content_security_policy(client, db):
    policy = client.get("/tillganglighet/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
