-- Orders the history generator writes (a demo's year, `npm run generate`'s millions) are marked, so that
-- what learns from the hotline's own words (the classifier's retraining) does not learn the
-- generator's templates. An order registered or imported from a real system is not generated.
ALTER TABLE orders ADD COLUMN generated boolean NOT NULL DEFAULT false;
