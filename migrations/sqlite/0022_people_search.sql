-- Name search (按姓名、拼音、首字母搜索) at a province's scale: the first page
-- of a common surname must not read every match. The index is kept in pinyin
-- order and holds everything a search checks (name, initials, org_path,
-- left_on), so a page's ids and its capped total are read from it alone,
-- stopping at the page's end. A name prefix fixes a pinyin prefix (王 reads
-- from "wang"), and initials their first letter (people::store). A large
-- subtree's list without a name is read from it too, in order.
CREATE INDEX people_search ON people(name_pinyin, id, name, name_initials, org_path, left_on) WHERE left_on IS NULL;
DROP INDEX people_pinyin;
DROP INDEX people_initials;
-- A status alone (党员, 预备党员…) picks a third of the roster: the index led
-- planners without statistics to scan the whole roster for one branch's
-- members; people_members answers status within a subtree.
DROP INDEX people_status;
