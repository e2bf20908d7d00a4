-- Member development (发展党员): the steps recorded per person.
SELECT 1;
