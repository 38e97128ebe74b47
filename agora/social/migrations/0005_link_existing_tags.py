"""Give the tags that exist their key, and link those that name a directory topic or area."""

from django.db import migrations

BATCH = 2000


def link_existing_tags(apps, schema_editor):
    from agora.directory.hashtags import build_vocabulary, tag_key

    Tag = apps.get_model("social", "Tag")
    Topic = apps.get_model("directory", "Topic")
    Area = apps.get_model("directory", "Area")
    vocabulary = build_vocabulary(Topic.objects.all(), Area.objects.all())
    changed = []
    for tag in Tag.objects.only("pk", "name").iterator(chunk_size=BATCH):
        tag.key = tag_key(tag.name)
        tag.topic_id = vocabulary.topics.get(tag.key)
        tag.area_id = vocabulary.areas.get(tag.key)
        changed.append(tag)
        if len(changed) >= BATCH:
            Tag.objects.bulk_update(changed, ["key", "topic", "area"])
            changed = []
    if changed:
        Tag.objects.bulk_update(changed, ["key", "topic", "area"])


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        ("social", "0004_follow_sources_announcements_tag_links"),
    ]

    operations = [migrations.RunPython(link_existing_tags, migrations.RunPython.noop)]
