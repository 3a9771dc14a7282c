"""Model permissions per HTTP method: the caller's user must hold them, as in the back-office."""

from rest_framework.permissions import BasePermission

_METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class HasModelPermission(BasePermission):
    """The user needs `<app>.<action>_<model>` for the view's `permission_model` (and any `extra_permissions`).

    A method the view does not implement needs no permission: the view answers 405 Method Not Allowed.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if not hasattr(view, request.method.lower()):
            return True  # a method the view does not offer: let it answer 405, not 403
        model = view.permission_model
        action = _METHOD_ACTIONS.get(request.method, "change")
        needed = [f"{model._meta.app_label}.{action}_{model._meta.model_name}"]
        needed.extend(getattr(view, "extra_permissions", {}).get(request.method, ()))
        return user.has_perms(needed)
