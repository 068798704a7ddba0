-- expect: safe
-- online: yes
ALTER TABLE lint_orders ADD COLUMN tax decimal(10, 2) unsigned NOT NULL DEFAULT '0.00' COMMENT 'it''s the tax';
