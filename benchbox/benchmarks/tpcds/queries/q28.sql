-- TPC-DS Q28 (Appendix B.28): average, count and distinct count of store-sales list prices in six
-- quantity buckets, each bucket limited to a list-price, coupon-amount or wholesale-cost band.
-- The kit draws each band's lower bounds as a list of six distinct values; the lists are drawn here
-- and their items taken as the scalars the SQL uses.
-- @param LISTPRICES [8, 90, 142, 135, 122, 154] ~ sample(ints(0, 190), 6)
-- @param COUPONAMTS [459, 2323, 12214, 6071, 836, 7326] ~ sample(ints(0, 18000), 6)
-- @param WHOLESALECOSTS [57, 31, 79, 38, 17, 7] ~ sample(ints(0, 80), 6)
-- @param LISTPRICE_1 8 ~ LISTPRICES[0]
-- @param LISTPRICE_2 90 ~ LISTPRICES[1]
-- @param LISTPRICE_3 142 ~ LISTPRICES[2]
-- @param LISTPRICE_4 135 ~ LISTPRICES[3]
-- @param LISTPRICE_5 122 ~ LISTPRICES[4]
-- @param LISTPRICE_6 154 ~ LISTPRICES[5]
-- @param COUPONAMT_1 459 ~ COUPONAMTS[0]
-- @param COUPONAMT_2 2323 ~ COUPONAMTS[1]
-- @param COUPONAMT_3 12214 ~ COUPONAMTS[2]
-- @param COUPONAMT_4 6071 ~ COUPONAMTS[3]
-- @param COUPONAMT_5 836 ~ COUPONAMTS[4]
-- @param COUPONAMT_6 7326 ~ COUPONAMTS[5]
-- @param WHOLESALECOST_1 57 ~ WHOLESALECOSTS[0]
-- @param WHOLESALECOST_2 31 ~ WHOLESALECOSTS[1]
-- @param WHOLESALECOST_3 79 ~ WHOLESALECOSTS[2]
-- @param WHOLESALECOST_4 38 ~ WHOLESALECOSTS[3]
-- @param WHOLESALECOST_5 17 ~ WHOLESALECOSTS[4]
-- @param WHOLESALECOST_6 7 ~ WHOLESALECOSTS[5]
with bucket1 as (
    select
        avg(ss_list_price) as b1_lp,
        count(ss_list_price) as b1_cnt,
        count(distinct ss_list_price) as b1_cntd
    from store_sales
    where ss_quantity between 0 and 5
      and (ss_list_price between ${LISTPRICE_1} and ${LISTPRICE_1} + 10
           or ss_coupon_amt between ${COUPONAMT_1} and ${COUPONAMT_1} + 1000
           or ss_wholesale_cost between ${WHOLESALECOST_1} and ${WHOLESALECOST_1} + 20)
),
bucket2 as (
    select
        avg(ss_list_price) as b2_lp,
        count(ss_list_price) as b2_cnt,
        count(distinct ss_list_price) as b2_cntd
    from store_sales
    where ss_quantity between 6 and 10
      and (ss_list_price between ${LISTPRICE_2} and ${LISTPRICE_2} + 10
           or ss_coupon_amt between ${COUPONAMT_2} and ${COUPONAMT_2} + 1000
           or ss_wholesale_cost between ${WHOLESALECOST_2} and ${WHOLESALECOST_2} + 20)
),
bucket3 as (
    select
        avg(ss_list_price) as b3_lp,
        count(ss_list_price) as b3_cnt,
        count(distinct ss_list_price) as b3_cntd
    from store_sales
    where ss_quantity between 11 and 15
      and (ss_list_price between ${LISTPRICE_3} and ${LISTPRICE_3} + 10
           or ss_coupon_amt between ${COUPONAMT_3} and ${COUPONAMT_3} + 1000
           or ss_wholesale_cost between ${WHOLESALECOST_3} and ${WHOLESALECOST_3} + 20)
),
bucket4 as (
    select
        avg(ss_list_price) as b4_lp,
        count(ss_list_price) as b4_cnt,
        count(distinct ss_list_price) as b4_cntd
    from store_sales
    where ss_quantity between 16 and 20
      and (ss_list_price between ${LISTPRICE_4} and ${LISTPRICE_4} + 10
           or ss_coupon_amt between ${COUPONAMT_4} and ${COUPONAMT_4} + 1000
           or ss_wholesale_cost between ${WHOLESALECOST_4} and ${WHOLESALECOST_4} + 20)
),
bucket5 as (
    select
        avg(ss_list_price) as b5_lp,
        count(ss_list_price) as b5_cnt,
        count(distinct ss_list_price) as b5_cntd
    from store_sales
    where ss_quantity between 21 and 25
      and (ss_list_price between ${LISTPRICE_5} and ${LISTPRICE_5} + 10
           or ss_coupon_amt between ${COUPONAMT_5} and ${COUPONAMT_5} + 1000
           or ss_wholesale_cost between ${WHOLESALECOST_5} and ${WHOLESALECOST_5} + 20)
),
bucket6 as (
    select
        avg(ss_list_price) as b6_lp,
        count(ss_list_price) as b6_cnt,
        count(distinct ss_list_price) as b6_cntd
    from store_sales
    where ss_quantity between 26 and 30
      and (ss_list_price between ${LISTPRICE_6} and ${LISTPRICE_6} + 10
           or ss_coupon_amt between ${COUPONAMT_6} and ${COUPONAMT_6} + 1000
           or ss_wholesale_cost between ${WHOLESALECOST_6} and ${WHOLESALECOST_6} + 20)
)
select
    b1_lp, b1_cnt, b1_cntd,
    b2_lp, b2_cnt, b2_cntd,
    b3_lp, b3_cnt, b3_cntd,
    b4_lp, b4_cnt, b4_cntd,
    b5_lp, b5_cnt, b5_cntd,
    b6_lp, b6_cnt, b6_cntd
from bucket1, bucket2, bucket3, bucket4, bucket5, bucket6
limit 100
