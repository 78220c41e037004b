"""Writing a checked import file: all of it in one transaction, or nothing.

New device models are created once each, references are allocated per year, incidents and
casualties are bulk-created with their history, and cached public figures expire.
"""

from collections import defaultdict

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from victims.caching import bump_register_version
from victims.importing.checks import ImportResult
from victims.models import Casualty, DeviceModel, Incident, ReferenceCounter


@transaction.atomic
def commit(result: ImportResult) -> list[Incident]:
    """Write a checked file: all of it in one transaction, or nothing."""
    if result.problems:
        raise ValueError("a file with problems cannot be imported")
    new_models = {}
    for incident, _casualties, _line in result.incidents:
        name = getattr(incident, "_new_device_model", "")
        if name:
            key = name.lower()
            if key not in new_models:
                new_models[key], _created = DeviceModel.objects.get_or_create(name=name)
            incident.device_model = new_models[key]
    by_year = defaultdict(list)
    for incident, _casualties, _line in result.incidents:
        by_year[incident.occurred_on.year].append(incident)
    for year, incidents in by_year.items():
        references = ReferenceCounter.allocate(year, len(incidents))
        for incident, reference in zip(incidents, references, strict=True):
            incident.reference = reference
    incidents = bulk_create_with_history(
        [incident for incident, _c, _l in result.incidents], Incident, batch_size=1000
    )
    saved = dict(zip([id(i) for i, _c, _l in result.incidents], incidents, strict=True))
    casualties = []
    for incident, members, _line in result.incidents:
        for casualty in members:
            casualty.incident = saved[id(incident)]
            casualties.append(casualty)
    bulk_create_with_history(casualties, Casualty, batch_size=2000)
    bump_register_version()
    return incidents
