-- Billing fails closed (issue 12): a carrier's 2xx whose verdict cannot be read leaves the charge
-- 'unknown', never 'confirmed'; it is asked again and then dead-lettered for an operator.
ALTER TABLE carrier_charges DROP CONSTRAINT carrier_charges_status_check;
ALTER TABLE carrier_charges ADD CONSTRAINT carrier_charges_status_check
    CHECK (status IN ('pending', 'confirmed', 'failed', 'unknown'));
