def roles(request):
    """Expose the signed-in person's roles to templates for navigation (authorization stays in views)."""
    user = request.user
    if not user.is_authenticated:
        return {"role": {}}
    return {
        "role": {
            "applicant": user.is_applicant,
            "reader": user.is_reader,
            "staff": user.is_program_staff,
            "administrator": user.is_administrator,
        }
    }
