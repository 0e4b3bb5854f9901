-- TPC-DS Q9 (Appendix B.9): for five bands of store sales quantity, one average when the band has
-- more sales than a threshold, another otherwise.
-- @param AGGCTHEN 'ss_ext_discount_amt' ~ choice(['ss_ext_discount_amt', 'ss_ext_sales_price', 'ss_ext_list_price', 'ss_ext_tax'])
-- @param AGGCELSE 'ss_net_paid' ~ choice(['ss_net_paid', 'ss_net_paid_inc_tax', 'ss_net_profit'])
-- @param RC1 74129 ~ uniform(1, int(2880404 * SF) // 5)
-- @param RC2 122840 ~ uniform(1, int(2880404 * SF) // 5)
-- @param RC3 56580 ~ uniform(1, int(2880404 * SF) // 5)
-- @param RC4 10097 ~ uniform(1, int(2880404 * SF) // 5)
-- @param RC5 165306 ~ uniform(1, int(2880404 * SF) // 5)
with banded as (
    select
        case
            when ss_quantity <= 20 then 1
            when ss_quantity <= 40 then 2
            when ss_quantity <= 60 then 3
            when ss_quantity <= 80 then 4
            else 5
        end as band,
        ${AGGCTHEN} as then_value,
        ${AGGCELSE} as else_value
    from store_sales
    where ss_quantity between 1 and 100
),
bands as (
    select band, count(*) as sales, avg(then_value) as avg_then, avg(else_value) as avg_else
    from banded
    group by band
)
select
    max(case when band = 1 then case when sales > ${RC1} then avg_then else avg_else end end) as bucket1,
    max(case when band = 2 then case when sales > ${RC2} then avg_then else avg_else end end) as bucket2,
    max(case when band = 3 then case when sales > ${RC3} then avg_then else avg_else end end) as bucket3,
    max(case when band = 4 then case when sales > ${RC4} then avg_then else avg_else end end) as bucket4,
    max(case when band = 5 then case when sales > ${RC5} then avg_then else avg_else end end) as bucket5
from bands
