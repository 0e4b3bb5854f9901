-- TPC-DS Q74 (Appendix B.74): customers with store and web sales in two consecutive years whose web
-- sales grew by a larger factor than their store sales.
-- @param YEAR 2001 ~ uniform(1998, 2001)
-- @param AGGONE 'sum' ~ choice(['sum', 'min', 'max', 'avg', 'max', 'stddev_samp'])
-- @param ORDERC [1, 1, 1] ~ sample([1, 2, 3], 3)
with year_total as (
    select
        c_customer_id as customer_id,
        c_first_name as customer_first_name,
        c_last_name as customer_last_name,
        d_year as sale_year,
        ${AGGONE}(ss_net_paid) as year_total,
        's' as sale_type
    from customer, store_sales, date_dim
    where c_customer_sk = ss_customer_sk
      and ss_sold_date_sk = d_date_sk
      and d_year in (${YEAR}, ${YEAR} + 1)
    group by c_customer_id, c_first_name, c_last_name, d_year
    union all
    select
        c_customer_id as customer_id,
        c_first_name as customer_first_name,
        c_last_name as customer_last_name,
        d_year as sale_year,
        ${AGGONE}(ws_net_paid) as year_total,
        'w' as sale_type
    from customer, web_sales, date_dim
    where c_customer_sk = ws_bill_customer_sk
      and ws_sold_date_sk = d_date_sk
      and d_year in (${YEAR}, ${YEAR} + 1)
    group by c_customer_id, c_first_name, c_last_name, d_year
)
select
    store2.customer_id,
    store2.customer_first_name,
    store2.customer_last_name
from year_total store1, year_total store2, year_total web1, year_total web2
where store2.customer_id = store1.customer_id
  and store1.customer_id = web2.customer_id
  and store1.customer_id = web1.customer_id
  and store1.sale_type = 's'
  and web1.sale_type = 'w'
  and store2.sale_type = 's'
  and web2.sale_type = 'w'
  and store1.sale_year = ${YEAR}
  and store2.sale_year = ${YEAR} + 1
  and web1.sale_year = ${YEAR}
  and web2.sale_year = ${YEAR} + 1
  and store1.year_total > 0
  and web1.year_total > 0
  and case when web1.year_total > 0 then web2.year_total / web1.year_total end
      > case when store1.year_total > 0 then store2.year_total / store1.year_total end
order by ${ORDERC}
limit 100
