-- Membership dues (党费): monthly bases and payments.
SELECT 1;
