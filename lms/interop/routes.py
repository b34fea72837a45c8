"""Downloads for other learning systems: a course as a Common Cartridge, for coordinators."""

import io

from flask import Blueprint, abort, request, send_file
from flask_babel import get_locale

from lms.access import roles_required
from lms.auth.models import Role
from lms.courses.api import get_catalog
from lms.extensions import db
from lms.interop import services

bp = Blueprint("interop", __name__)


@bp.route("/courses/<course_slug>.imscc")
@roles_required(Role.COORDINATOR)
def course_cartridge(course_slug: str):
    """The course as an IMS Common Cartridge (``?version=``: 1.3, or 1.1 for Moodle's course
    restore) in ``?lang=`` (by default the reader's language); what could not be carried is
    listed in a file inside."""
    if get_catalog().course(course_slug) is None:
        abort(404)
    language = request.args.get("lang") or str(get_locale())
    try:
        version = request.args.get("version", "1.3")
        cartridge = services.course_cartridge(db.session, course_slug, language, version)
    except services.ExportError:
        abort(404)
    return send_file(
        io.BytesIO(cartridge.data),
        mimetype="application/zip",
        as_attachment=True,
        download_name=cartridge.filename,
    )
