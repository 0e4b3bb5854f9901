-- TPC-DS Q54 (Appendix B.54): customers who bought items of a category and class on the web or by
-- catalog in a given month, then bought in a store in their own county in the next three months: a
-- histogram of their store revenue in $50 segments.
-- @param CATEGORY 'Women' ~ choice(vocab('categories'))
-- @param CLASS 'maternity' ~ choice(vocab('category_classes')[CATEGORY])
-- @param MONTH 12 ~ uniform(1, 7)
-- @param YEAR 1998 ~ uniform(1998, 2002)
with remote_sales as (
    select cs_sold_date_sk as sold_date_sk, cs_bill_customer_sk as customer_sk, cs_item_sk as item_sk
    from catalog_sales
    union all
    select ws_sold_date_sk as sold_date_sk, ws_bill_customer_sk as customer_sk, ws_item_sk as item_sk
    from web_sales
),
remote_buyers as (
    select distinct c_customer_sk, c_current_addr_sk
    from remote_sales, item, date_dim, customer
    where sold_date_sk = d_date_sk
      and item_sk = i_item_sk
      and i_category = '${CATEGORY}'
      and i_class = '${CLASS}'
      and c_customer_sk = customer_sk
      and d_moy = ${MONTH}
      and d_year = ${YEAR}
),
first_month as (
    select distinct d_month_seq
    from date_dim
    where d_year = ${YEAR}
      and d_moy = ${MONTH}
),
local_revenue as (
    select c_customer_sk, sum(ss_ext_sales_price) as revenue
    from remote_buyers, store_sales, customer_address, store, date_dim
    where c_current_addr_sk = ca_address_sk
      and ca_county = s_county
      and ca_state = s_state
      and ss_sold_date_sk = d_date_sk
      and c_customer_sk = ss_customer_sk
      and d_month_seq between (select d_month_seq + 1 from first_month)
                          and (select d_month_seq + 3 from first_month)
    group by c_customer_sk
),
segments as (
    select cast(floor(revenue / 50) as integer) as segment
    from local_revenue
)
select segment, count(*) as num_customers, segment * 50 as segment_base
from segments
group by segment
order by segment, num_customers
limit 100
