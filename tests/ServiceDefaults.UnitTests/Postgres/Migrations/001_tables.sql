-- First script.
CREATE TABLE a (id int);
