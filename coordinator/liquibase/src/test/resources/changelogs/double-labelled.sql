--liquibase formatted sql

--changeset t:1 labels:expand
CREATE TABLE item (id int PRIMARY KEY);

--changeset t:2 labels:expand,contract
ALTER TABLE item ADD COLUMN label text;
