--liquibase formatted sql

--changeset t:1 labels:expand
CREATE TABLE item (id int PRIMARY KEY, code text, label text);

--changeset t:2 labels:backfill
INSERT INTO item (id, label) VALUES (1, 'one');

--changeset t:3 labels:contract
ALTER TABLE item DROP COLUMN code;
