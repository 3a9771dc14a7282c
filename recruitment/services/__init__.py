"""Every write to the domain: atomic functions with keyword-only, typed arguments.

Views, serializers, forms, admin actions and tasks call these and nothing else to change data.
"""
