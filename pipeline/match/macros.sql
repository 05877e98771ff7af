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

-- Tokens that agree, counted from the shorter name (so extra middle names do not hurt).
CREATE OR REPLACE MACRO agreeing(tc_l, codes_l, tc_r, codes_r) AS
    CASE WHEN len(tc_l) <= len(tc_r) THEN tokens_agreeing(tc_l, codes_r)
         ELSE tokens_agreeing(tc_r, codes_l) END;

-- Every token of the shorter name agrees (and it has at least two tokens).
CREATE OR REPLACE MACRO all_agree(tc_l, codes_l, tc_r, codes_r) AS
    least(len(tc_l), len(tc_r)) >= 2
    AND agreeing(tc_l, codes_l, tc_r, codes_r) = least(len(tc_l), len(tc_r));

-- The weakest token of the shorter name against its best partner on the other side:
-- "every token agrees" means this is high (a typo passes, a different given name fails).
CREATE OR REPLACE MACRO name_sim_min_dir(a, b) AS
    list_min(list_transform(a, lambda x: list_max(list_transform(b, lambda y: tok_sim(x, y)))));

CREATE OR REPLACE MACRO name_sim_min(a, b) AS
    CASE
        WHEN a IS NULL OR b IS NULL OR len(a) = 0 OR len(b) = 0 THEN 0.0
        WHEN len(a) < len(b) THEN name_sim_min_dir(a, b)
        WHEN len(b) < len(a) THEN name_sim_min_dir(b, a)
        ELSE greatest(name_sim_min_dir(a, b), name_sim_min_dir(b, a))
    END;
