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


def test_a_staff_member_start_page_shows_no_registry_counts(client, staff_member):
    from conftest import sign_in

    sign_in(client, staff_member)
    page = client.get("/").content.decode()
    assert "personer med aktiv anställning" not in page
    # Where to type the code from a letter: the short address.
    assert 'href="/svara/"' in page and "Svara på självskattningen" in page


def test_a_coordinator_start_page_counts_their_municipality(client, coordinator):
    from conftest import sign_in

    sign_in(client, coordinator)
    page = client.get("/").content.decode()
    assert "personer med aktiv anställning" in page


def test_each_role_start_page_leads_to_the_pages_of_its_work(client, region, programme_admin,
                                                             coordinator, unit_manager,
                                                             staff_member):
    from django.urls import reverse

    from conftest import sign_in

    def links(user):
        sign_in(client, user)
        return client.get("/").content.decode()

    admin = links(programme_admin)
    assert reverse("reports:final-report", args=[region.programme.pk]) in admin
    assert reverse("reports:participant-months", args=[region.programme.pk]) in admin
    coordinator_page = links(coordinator)
    assert reverse("plans:plan-list") in coordinator_page
    assert reverse("learning:introduction-list") in coordinator_page
    assert reverse("reports:participant-months", args=[region.programme.pk]) not in \
        coordinator_page
    manager = links(unit_manager)
    assert reverse("plans:change-create") in manager and "Skriv in en rutin" in manager
    assert reverse("plans:change-create") not in links(staff_member)
