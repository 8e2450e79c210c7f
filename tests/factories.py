"""factory_boy factories shared by the tests."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from documents.annotations import text_changes
from documents.groups import services as groups
from documents.models import CURATORS, Annotation, Collection, Document


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"scholar{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CuratorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"curator{n}")
    is_staff = True

    @factory.post_generation
    def curators_group(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name=CURATORS))


class CollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collection

    title = factory.Sequence(lambda n: f"Collection {n}")
    slug = factory.Sequence(lambda n: f"collection-{n}")


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Document {n}")
    slug = factory.Sequence(lambda n: f"document-{n}")
    creator = "William J. Clinton"
    date = factory.Faker("date_between", start_date="-60y", end_date="-1y")
    type = Document.Type.STATEMENT
    status = Document.Status.PUBLISHED
    text = "# A heading\n\nThe first passage.\n\n> A quotation with a non-breaking\u00a0space.\n\n- An item"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Through the service, as every real path: it records revision 1 and stamps publication."""

        document = model_class(*args, **kwargs)
        text_changes.save_document(document)
        return document

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.add(*extracted)

    @factory.post_generation
    def collections(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.collections.add(*extracted)


class AnnotationFactory(factory.django.DjangoModelFactory):
    """A root annotation on the document's first passage; pass start/end/exact to move it."""

    class Meta:
        model = Annotation
        skip_postgeneration_save = True

    document = factory.SubFactory(DocumentFactory)
    author = factory.SubFactory(UserFactory)
    visibility = Annotation.Visibility.PRIVATE
    start = 0
    end = factory.LazyAttribute(lambda a: a.start + 9)
    exact = factory.LazyAttribute(lambda a: a.document.canonical_text[a.start : a.end])
    prefix = factory.LazyAttribute(lambda a: a.document.canonical_text[max(0, a.start - 32) : a.start])
    suffix = factory.LazyAttribute(lambda a: a.document.canonical_text[a.end : a.end + 32])
    revision = factory.LazyAttribute(lambda a: a.document.revision)
    comment = "A *note*."
    comment_html = "<p>A <em>note</em>.</p>"

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.add(*extracted)


def make_group(moderator, *members, name="Seminar", description=""):
    """A reading group made as a reader makes one (``documents.groups``): ``moderator`` creates it,
    each of ``members`` joins through an invitation link."""

    group = groups.create_group(by=moderator, name=name, description=description)
    if members:
        link = groups.create_invitation(group=group, by=moderator)
        for member in members:
            groups.join_group(slug=group.slug, token=link.token, user=member)
    return group
