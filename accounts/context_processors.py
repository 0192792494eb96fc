def organisation(request):
    """The current organisation and the others the user may switch to, for the header."""
    return {
        "current_organisation": getattr(request, "organisation", None),
        "user_organisations": getattr(request, "user_organisations", []),
    }
