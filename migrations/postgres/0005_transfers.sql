-- Transfers of membership (组织关系转接).
SELECT 1;
