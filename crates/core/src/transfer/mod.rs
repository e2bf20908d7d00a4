//! Transfers of membership (组织关系转接): within the system (the receiving
//! organization accepts or returns), out of it (an introduction letter), and in.
