-- A neutralized copy of a database must never talk to Amazon with production
-- credentials: blank the secrets and point the endpoints at nothing.
UPDATE amazon_account
   SET lwa_client_id = NULL,
       lwa_client_secret = NULL,
       refresh_token = NULL,
       sp_api_endpoint = NULL,
       lwa_endpoint = NULL,
       state = 'draft',
       last_error = NULL;
DELETE FROM amazon_rate_bucket;
