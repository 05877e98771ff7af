-- DuckDB macros used by the comparison levels in models/*/spec.toml.
-- Loaded into every connection that scores pairs (pipeline/match/engine.py).

-- Order-free token-set similarity in [0, 1]: each token of one side takes its best
-- Jaro-Winkler score against the other side; the better-covered direction wins, so a
-- missing or extra middle name does not count against a pair. Single-letter tokens
-- (initials) score 0.9 against a token starting with that letter.
CREATE OR REPLACE MACRO tok_sim(x, y) AS
    CASE
        WHEN x = y THEN 1.0
        WHEN length(x) = 1 OR length(y) = 1 THEN
            CASE WHEN x[1] = y[1] THEN 0.9 ELSE 0.0 END
        ELSE jaro_winkler_similarity(x, y)
    END;

CREATE OR REPLACE MACRO name_sim_dir(a, b) AS
    list_avg(list_transform(a, lambda x: list_max(list_transform(b, lambda y: tok_sim(x, y)))));

CREATE OR REPLACE MACRO name_sim(a, b) AS
    CASE
        WHEN a IS NULL OR b IS NULL OR len(a) = 0 OR len(b) = 0 THEN 0.0
        WHEN len(a) < 2 OR len(b) < 2 THEN least(name_sim_dir(a, b), name_sim_dir(b, a))
        ELSE greatest(name_sim_dir(a, b), name_sim_dir(b, a))
    END;

-- Two full dates (YYYY-MM-DD) one typing error apart.
CREATE OR REPLACE MACRO dob_near(a, b) AS
    coalesce(list_bool_or(list_transform(a, lambda x:
        list_bool_or(list_transform(b, lambda y: damerau_levenshtein(x, y) = 1)))), false);

-- How many tokens of one name agree with the other name under any of their codes
-- (romanization key, consonant skeleton, Metaphone, name-variant cluster).
CREATE OR REPLACE MACRO tokens_agreeing(token_codes, other_codes) AS
    len(list_filter(token_codes, lambda c: list_has_any(c, other_codes)));

-- Tokens that agree one to one: the tokens of each side that agree with some token of
-- the other side, counted on both sides, and the smaller count taken. Two tokens of one
-- name that both agree with the same single token of the other (Jahan Ahana / Jahan
-- Aloka: AHANA and JAHAN share a skeleton) count once. Never more than the shorter name.
CREATE OR REPLACE MACRO agreeing(tc_l, codes_l, tc_r, codes_r) AS
    least(tokens_agreeing(tc_l, codes_r), tokens_agreeing(tc_r, codes_l));

-- Every token of the shorter name agrees (and it has at least two tokens).
CREATE OR REPLACE MACRO all_agree(tc_l, codes_l, tc_r, codes_r) AS
    least(len(tc_l), len(tc_r)) >= 2
    AND agreeing(tc_l, codes_l, tc_r, codes_r) = least(len(tc_l), len(tc_r));

-- Tokens of a that have a partner in b at similarity t or more.
CREATE OR REPLACE MACRO tokens_similar(a, b, t) AS
    len(list_filter(a, lambda x: list_max(list_transform(b, lambda y: tok_sim(x, y))) >= t));

-- "Every token agrees up to a typo": every token of the shorter name (two tokens or
-- more) has a partner at similarity t or more, and as many distinct tokens of the
-- longer name have one, so that two tokens cannot share one partner (Hong Hoang /
-- Vu Yen Hoang).
CREATE OR REPLACE MACRO every_token_similar(a, b, t) AS
    a IS NOT NULL AND b IS NOT NULL AND least(len(a), len(b)) >= 2
    AND least(tokens_similar(a, b, t), tokens_similar(b, a, t)) = least(len(a), len(b));

