"""Marks the index rows of changed candidates and positions (see ``matching.index``)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from marketplace.models import Candidate, Position
from matching.models import IndexChange


def _mark(kind, object_id):
    IndexChange.objects.create(kind=kind, object_id=object_id)


@receiver(post_save, sender=Candidate, dispatch_uid="matching_candidate_saved")
@receiver(post_delete, sender=Candidate, dispatch_uid="matching_candidate_deleted")
def candidate_changed(sender, instance, **kwargs):
    _mark(IndexChange.Kind.CANDIDATE, instance.pk)


@receiver(post_save, sender=Position, dispatch_uid="matching_position_saved")
@receiver(post_delete, sender=Position, dispatch_uid="matching_position_deleted")
def position_changed(sender, instance, **kwargs):
    _mark(IndexChange.Kind.POSITION, instance.pk)


@receiver(m2m_changed, sender=Candidate.job_titles.through, dispatch_uid="matching_candidate_job_titles")
@receiver(m2m_changed, sender=Candidate.skills.through, dispatch_uid="matching_candidate_skills")
def candidate_links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        _mark(IndexChange.Kind.CANDIDATE, instance.pk)
    else:  # a job title or skill edited from its side: every candidate linked to it
        IndexChange.objects.bulk_create(
            IndexChange(kind=IndexChange.Kind.CANDIDATE, object_id=pk) for pk in (pk_set or ())
        )
