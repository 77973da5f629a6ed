"""POST /users: self-service registration as a learner or an instructor."""
from __future__ import annotations

from app import rate_limits
from app.api.core import ApiBlueprint
from app.api.schemas import UserIn, UserOut
from app.services.accounts import register

bp = ApiBlueprint("api_users", __name__, description="Accounts.")


@bp.route("/users", methods=["POST"])
@bp.arguments(UserIn)
@bp.response(201, UserOut)
@bp.problem(409, "The username is taken")
@bp.problem(429, "Too many registrations from this address")
@bp.doc(security=[])
@rate_limits.registration
def create(data):
    """Register a learner or an instructor (admins are made with the command line only)."""
    return register(data["username"], data["password"], data["role"], data.get("timezone"))
