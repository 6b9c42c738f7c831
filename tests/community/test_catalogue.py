"""The catalogue puts back what is missing after a migrate and never overwrites an operator's
values."""

import pytest

from community.catalogue import FEATURES, PREFERENCES, ensure_catalogue
from community.models import CustomMenu, Feature, Preference

pytestmark = pytest.mark.django_db


def test_the_migration_seeded_every_key_react_core_reads():
    assert Preference.objects.count() == len(PREFERENCES) == 148
    assert Feature.objects.count() == len(FEATURES) == 46
    assert set(CustomMenu.objects.values_list("slot", flat=True)) == {"base", "not_logged",
                                                                      "user"}
    # Every seeded value is one the API can serve as its type.
    for preference in Preference.objects.all():
        preference.typed_value()


def test_missing_rows_come_back_and_changed_ones_stay():
    Preference.objects.filter(section="text", name="application_name").update(value="Agora")
    Preference.objects.filter(section="colors").delete()
    Feature.objects.filter(name="tagging").update(enabled=False)
    CustomMenu.objects.filter(slot="user").delete()
    ensure_catalogue(Preference, Feature, CustomMenu)
    assert Preference.objects.get(section="text", name="application_name").value == "Agora"
    assert Preference.objects.filter(section="colors").count() == 6
    assert Feature.objects.get(name="tagging").enabled is False
    assert CustomMenu.objects.filter(slot="user").count() == 1
