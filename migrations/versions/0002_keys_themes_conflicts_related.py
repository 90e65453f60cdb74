"""API keys, themes, position conflicts, related recommendations; match provenance on external refs.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 11:16:39.585282
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('reader', 'editor', 'admin')", name='ck_api_key_role'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_key')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_api_key_key_hash')),
    sa.UniqueConstraint('name', name=op.f('uq_api_key_name'))
    )
    op.create_table('theme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.CheckConstraint("kind IN ('theme', 'sdg', 'affected')", name='ck_theme_kind'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme')),
    sa.UniqueConstraint('kind', 'name', name='uq_theme_kind_name')
    )
    op.create_table('recommendation_theme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_recommendation_theme_recommendation_id_recommendation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], name=op.f('fk_recommendation_theme_theme_id_theme')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_theme')),
    sa.UniqueConstraint('recommendation_id', 'theme_id', name='uq_recommendation_theme')
    )
    with op.batch_alter_table('recommendation_theme', schema=None) as batch_op:
        batch_op.create_index('ix_recommendation_theme_theme', ['theme_id', 'recommendation_id'], unique=False)

    op.create_table('related_recommendation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('related_id', sa.Integer(), nullable=False),
    sa.Column('similarity', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_related_recommendation_recommendation_id_recommendation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['related_id'], ['recommendation.id'], name=op.f('fk_related_recommendation_related_id_recommendation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_related_recommendation')),
    sa.UniqueConstraint('recommendation_id', 'related_id', name='uq_related_pair')
    )
    with op.batch_alter_table('related_recommendation', schema=None) as batch_op:
        batch_op.create_index('ix_related_recommendation_related', ['related_id'], unique=False)

    op.create_table('position_conflict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('current_position', sa.String(length=24), nullable=False),
    sa.Column('current_source', sa.String(length=32), nullable=False),
    sa.Column('current_event_id', sa.Integer(), nullable=True),
    sa.Column('claimed_position', sa.String(length=24), nullable=False),
    sa.Column('claimed_source', sa.String(length=32), nullable=False),
    sa.Column('claimed_document_id', sa.Integer(), nullable=False),
    sa.Column('claimed_wording', sa.Text(), nullable=True),
    sa.Column('claimed_evidence', sa.String(length=300), nullable=True),
    sa.Column('detected_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['claimed_document_id'], ['document.id'], name=op.f('fk_position_conflict_claimed_document_id_document')),
    sa.ForeignKeyConstraint(['current_event_id'], ['status_event.id'], name=op.f('fk_position_conflict_current_event_id_status_event')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_position_conflict_recommendation_id_recommendation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_position_conflict')),
    sa.UniqueConstraint('recommendation_id', 'claimed_document_id', name='uq_position_conflict_claim')
    )
    with op.batch_alter_table('position_conflict', schema=None) as batch_op:
        batch_op.create_index('ix_position_conflict_recommendation', ['recommendation_id'], unique=False)

    with op.batch_alter_table('external_ref', schema=None) as batch_op:
        batch_op.add_column(sa.Column('match_method', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('match_confidence', sa.Float(), nullable=True))

    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.alter_column('paragraph',
               existing_type=sa.VARCHAR(length=32),
               nullable=True)

    with op.batch_alter_table('status_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_kind', sa.String(length=32), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('status_event', schema=None) as batch_op:
        batch_op.drop_column('source_kind')

    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.alter_column('paragraph',
               existing_type=sa.VARCHAR(length=32),
               nullable=False)

    with op.batch_alter_table('external_ref', schema=None) as batch_op:
        batch_op.drop_column('match_confidence')
        batch_op.drop_column('match_method')

    with op.batch_alter_table('position_conflict', schema=None) as batch_op:
        batch_op.drop_index('ix_position_conflict_recommendation')

    op.drop_table('position_conflict')
    with op.batch_alter_table('related_recommendation', schema=None) as batch_op:
        batch_op.drop_index('ix_related_recommendation_related')

    op.drop_table('related_recommendation')
    with op.batch_alter_table('recommendation_theme', schema=None) as batch_op:
        batch_op.drop_index('ix_recommendation_theme_theme')

    op.drop_table('recommendation_theme')
    op.drop_table('theme')
    op.drop_table('api_key')
