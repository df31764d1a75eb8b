from modig.accounts import access


def roles(request):
    """The signed-in user's current roles, for navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": set()}
    return {
        "user_roles": access.roles_of(user),
        "is_programme_admin": access.is_programme_admin(user),
    }
