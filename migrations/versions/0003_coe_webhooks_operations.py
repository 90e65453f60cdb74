"""Council of Europe fields and timelines, webhooks outbox, HTTP cache, watchlist, audit trail.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 11:22:54.851865
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('target', sa.String(length=300), nullable=True),
    sa.Column('client', sa.String(length=100), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entry_at', ['at'], unique=False)

    op.create_table('http_cache',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('etag', sa.String(length=300), nullable=True),
    sa.Column('last_modified', sa.String(length=100), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_http_cache')),
    sa.UniqueConstraint('url', name=op.f('uq_http_cache_url'))
    )
    op.create_table('outbox_cursor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_cursor')),
    sa.UniqueConstraint('name', name=op.f('uq_outbox_cursor_name'))
    )
    op.create_table('webhook_subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('secret', sa.String(length=200), nullable=False),
    sa.Column('previous_secret', sa.String(length=200), nullable=True),
    sa.Column('previous_secret_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('event_types', sa.JSON(), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('disabled_reason', sa.String(length=500), nullable=True),
    sa.Column('failing_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_subscription'))
    )
    op.create_table('watched_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=3), nullable=False),
    sa.Column('added_by', sa.String(length=120), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['state'], ['state.iso3'], name=op.f('fk_watched_state_state_state')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watched_state')),
    sa.UniqueConstraint('state', name=op.f('uq_watched_state_state'))
    )
    op.create_table('implementation_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('implementation', sa.String(length=24), nullable=False),
    sa.Column('wording', sa.Text(), nullable=False),
    sa.Column('evidence', sa.String(length=300), nullable=True),
    sa.Column('evidence_url', sa.String(length=2000), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decided_by', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("implementation IN ('unknown', 'not_implemented', 'partially_implemented', 'implemented')", name='ck_implementation_evidence_implementation'),
    sa.CheckConstraint("status IN ('proposed', 'confirmed', 'dismissed')", name='ck_implementation_evidence_status'),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_implementation_evidence_document_id_document')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_implementation_evidence_recommendation_id_recommendation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_implementation_evidence')),
    sa.UniqueConstraint('recommendation_id', 'document_id', name='uq_implementation_evidence')
    )
    op.create_table('recommendation_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('reference', sa.String(length=120), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_recommendation_link_document_id_document')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_recommendation_link_recommendation_id_recommendation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_link')),
    sa.UniqueConstraint('recommendation_id', 'role', 'title', name='uq_recommendation_link')
    )
    with op.batch_alter_table('recommendation_link', schema=None) as batch_op:
        batch_op.create_index('ix_recommendation_link_recommendation', ['recommendation_id', 'effective_on'], unique=False)

    op.create_table('webhook_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('webhook_id', sa.String(length=64), nullable=False),
    sa.Column('replay', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_http_status', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'succeeded', 'failed')", name='ck_webhook_delivery_status'),
    sa.ForeignKeyConstraint(['event_id'], ['change_event.id'], name=op.f('fk_webhook_delivery_event_id_change_event')),
    sa.ForeignKeyConstraint(['subscription_id'], ['webhook_subscription.id'], name=op.f('fk_webhook_delivery_subscription_id_webhook_subscription'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_delivery')),
    sa.UniqueConstraint('subscription_id', 'event_id', 'replay', name='uq_webhook_delivery')
    )
    with op.batch_alter_table('webhook_delivery', schema=None) as batch_op:
        batch_op.create_index('ix_webhook_delivery_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_webhook_delivery_subscription', ['subscription_id', 'id'], unique=False)

    op.create_table('webhook_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('http_status', sa.Integer(), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('response_excerpt', sa.String(length=2000), nullable=True),
    sa.ForeignKeyConstraint(['delivery_id'], ['webhook_delivery.id'], name=op.f('fk_webhook_attempt_delivery_id_webhook_delivery'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_attempt'))
    )
    with op.batch_alter_table('webhook_attempt', schema=None) as batch_op:
        batch_op.create_index('ix_webhook_attempt_delivery', ['delivery_id', 'attempt'], unique=False)

    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reference', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('version', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('vote', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('cites', sa.JSON(), server_default='[]', nullable=False))

    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('addressee', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('context', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('attributes', sa.JSON(), server_default='{}', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_column('attributes')
        batch_op.drop_column('context')
        batch_op.drop_column('addressee')

    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_column('cites')
        batch_op.drop_column('vote')
        batch_op.drop_column('outcome')
        batch_op.drop_column('version')
        batch_op.drop_column('reference')

    with op.batch_alter_table('webhook_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_webhook_attempt_delivery')

    op.drop_table('webhook_attempt')
    with op.batch_alter_table('webhook_delivery', schema=None) as batch_op:
        batch_op.drop_index('ix_webhook_delivery_subscription')
        batch_op.drop_index('ix_webhook_delivery_due')

    op.drop_table('webhook_delivery')
    with op.batch_alter_table('recommendation_link', schema=None) as batch_op:
        batch_op.drop_index('ix_recommendation_link_recommendation')

    op.drop_table('recommendation_link')
    op.drop_table('implementation_evidence')
    op.drop_table('watched_state')
    op.drop_table('webhook_subscription')
    op.drop_table('outbox_cursor')
    op.drop_table('http_cache')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_at')

    op.drop_table('audit_entry')
