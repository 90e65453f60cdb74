"""Initial schema: states, reviews, documents, recommendations, history and runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 11:06:17.110668
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('scrape_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('trigger', sa.String(length=32), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('fetched', sa.Integer(), nullable=False),
    sa.Column('skipped_unchanged', sa.Integer(), nullable=False),
    sa.Column('inserted', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.CheckConstraint("outcome IN ('running', 'ok', 'partial', 'failed', 'blocked')", name='ck_scrape_run_outcome'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scrape_run'))
    )
    with op.batch_alter_table('scrape_run', schema=None) as batch_op:
        batch_op.create_index('ix_scrape_run_source_started', ['source', 'started_at'], unique=False)

    op.create_table('state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('iso3', sa.String(length=3), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('un_name', sa.String(length=160), nullable=False),
    sa.Column('coe_member', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_state')),
    sa.UniqueConstraint('iso3', name=op.f('uq_state_iso3'))
    )
    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mechanism', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=3), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=False),
    sa.Column('cycle', sa.Integer(), nullable=True),
    sa.Column('session', sa.Integer(), nullable=True),
    sa.Column('reviewed_on', sa.Date(), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=True),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.CheckConstraint("mechanism IN ('upr', 'pace', 'coe_exec')", name='ck_review_mechanism'),
    sa.ForeignKeyConstraint(['state'], ['state.iso3'], name=op.f('fk_review_state_state')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review')),
    sa.UniqueConstraint('mechanism', 'state', 'ref', name='uq_review_mechanism_state_ref')
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_state'), ['state'], unique=False)

    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mechanism', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('symbol', sa.String(length=120), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=True),
    sa.Column('state', sa.String(length=3), nullable=True),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('parser', sa.String(length=64), nullable=True),
    sa.Column('parser_version', sa.String(length=32), nullable=True),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.CheckConstraint("kind IN ('wg_report', 'addendum', 'thematic_list', 'upr_info_entity', 'pace_text', 'exec_record', 'sample')", name='ck_document_kind'),
    sa.CheckConstraint("mechanism IN ('upr', 'pace', 'coe_exec')", name='ck_document_mechanism'),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_document_review_id_review')),
    sa.ForeignKeyConstraint(['state'], ['state.iso3'], name=op.f('fk_document_state_state')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    sa.UniqueConstraint('sha256', name=op.f('uq_document_sha256'))
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_state'), ['state'], unique=False)
        batch_op.create_index('ix_document_symbol', ['symbol'], unique=False)

    op.create_table('recommendation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('mechanism', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=3), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('cycle', sa.Integer(), nullable=True),
    sa.Column('paragraph', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_sha256', sa.String(length=64), nullable=False),
    sa.Column('action_category', sa.String(length=64), nullable=True),
    sa.Column('position', sa.String(length=24), nullable=False),
    sa.Column('position_wording', sa.Text(), nullable=True),
    sa.Column('implementation', sa.String(length=24), nullable=False),
    sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source_document_id', sa.Integer(), nullable=True),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.CheckConstraint("implementation IN ('unknown', 'not_implemented', 'partially_implemented', 'implemented')", name='ck_recommendation_implementation'),
    sa.CheckConstraint("mechanism IN ('upr', 'pace', 'coe_exec')", name='ck_recommendation_mechanism'),
    sa.CheckConstraint("position IN ('pending', 'supported', 'partially_supported', 'noted')", name='ck_recommendation_position'),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_recommendation_review_id_review')),
    sa.ForeignKeyConstraint(['source_document_id'], ['document.id'], name=op.f('fk_recommendation_source_document_id_document')),
    sa.ForeignKeyConstraint(['state'], ['state.iso3'], name=op.f('fk_recommendation_state_state')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation')),
    sa.UniqueConstraint('key', name=op.f('uq_recommendation_key'))
    )
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.create_index('ix_recommendation_review', ['review_id', 'id'], unique=False)
        batch_op.create_index('ix_recommendation_state_cycle', ['state', 'cycle', 'id'], unique=False)
        batch_op.create_index('ix_recommendation_state_position', ['state', 'position', 'id'], unique=False)

    op.create_table('change_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('type', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=3), nullable=True),
    sa.Column('mechanism', sa.String(length=16), nullable=True),
    sa.Column('recommendation_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('baseline', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_change_event_recommendation_id_recommendation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_event')),
    sa.UniqueConstraint('event_id', name=op.f('uq_change_event_event_id'))
    )
    with op.batch_alter_table('change_event', schema=None) as batch_op:
        batch_op.create_index('ix_change_event_state', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_event_type'), ['type'], unique=False)

    op.create_table('external_ref',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_external_ref_recommendation_id_recommendation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_ref')),
    sa.UniqueConstraint('recommendation_id', 'source', 'external_id', name='uq_external_ref')
    )
    with op.batch_alter_table('external_ref', schema=None) as batch_op:
        batch_op.create_index('ix_external_ref_source_id', ['source', 'external_id'], unique=False)

    op.create_table('recommending_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=160), nullable=False),
    sa.Column('name_raw', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_recommending_state_recommendation_id_recommendation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommending_state')),
    sa.UniqueConstraint('recommendation_id', 'state', name='uq_recommending_state')
    )
    with op.batch_alter_table('recommending_state', schema=None) as batch_op:
        batch_op.create_index('ix_recommending_state_state', ['state', 'recommendation_id'], unique=False)

    op.create_table('status_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('axis', sa.String(length=16), nullable=False),
    sa.Column('old', sa.String(length=24), nullable=True),
    sa.Column('new', sa.String(length=24), nullable=False),
    sa.Column('wording', sa.Text(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('evidence', sa.String(length=300), nullable=True),
    sa.Column('evidence_url', sa.String(length=2000), nullable=True),
    sa.Column('recorded_by', sa.String(length=120), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("axis IN ('position', 'implementation')", name='ck_status_event_axis'),
    sa.CheckConstraint("new IN ('pending', 'supported', 'partially_supported', 'noted', 'unknown', 'not_implemented', 'partially_implemented', 'implemented')", name='ck_status_event_new'),
    sa.CheckConstraint("old IS NULL OR old IN ('pending', 'supported', 'partially_supported', 'noted', 'unknown', 'not_implemented', 'partially_implemented', 'implemented')", name='ck_status_event_old'),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_status_event_document_id_document')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_status_event_recommendation_id_recommendation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_event'))
    )
    with op.batch_alter_table('status_event', schema=None) as batch_op:
        batch_op.create_index('ix_status_event_recommendation', ['recommendation_id', 'axis', 'effective_on'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('status_event', schema=None) as batch_op:
        batch_op.drop_index('ix_status_event_recommendation')

    op.drop_table('status_event')
    with op.batch_alter_table('recommending_state', schema=None) as batch_op:
        batch_op.drop_index('ix_recommending_state_state')

    op.drop_table('recommending_state')
    with op.batch_alter_table('external_ref', schema=None) as batch_op:
        batch_op.drop_index('ix_external_ref_source_id')

    op.drop_table('external_ref')
    with op.batch_alter_table('change_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_event_type'))
        batch_op.drop_index('ix_change_event_state')

    op.drop_table('change_event')
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_index('ix_recommendation_state_position')
        batch_op.drop_index('ix_recommendation_state_cycle')
        batch_op.drop_index('ix_recommendation_review')

    op.drop_table('recommendation')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index('ix_document_symbol')
        batch_op.drop_index(batch_op.f('ix_document_state'))

    op.drop_table('document')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_state'))

    op.drop_table('review')
    op.drop_table('state')
    with op.batch_alter_table('scrape_run', schema=None) as batch_op:
        batch_op.drop_index('ix_scrape_run_source_started')

    op.drop_table('scrape_run')
